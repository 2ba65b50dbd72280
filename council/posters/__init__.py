"""Printed things a council puts on a wall or hands out: posters with QR codes (an idea, a campaign, a council's
"扫码提建议") and the paper idea sheet "我的金点子". Made on the server, printable on A4 without JavaScript."""
