"""Reading pages in the tests with lxml's C parser (libxml2) through the handlers of the standard library's
``html.parser.HTMLParser``: a subclass defines ``handle_starttag(tag, attrs)``, ``handle_endtag(tag)`` and
``handle_data(text)`` as before and calls ``read(html)``. The access, language and form matrices read some 5,000
pages a run; the standard library's parser, written in Python, took 3.8 ms a page of the demo, this one 1.3 ms, with
the same text read from each (docs/testing.md)."""

from __future__ import annotations

from lxml import etree


class Reader:
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        pass

    def handle_data(self, data: str) -> None:
        pass

    def read(self, html: str) -> None:
        parser = etree.HTMLParser(target=_Events(self))
        parser.feed(html)
        parser.close()


class _Events:
    """lxml's parser target, passing its events on. The text between two tags is handed on in one piece, as
    ``HTMLParser(convert_charrefs=True)`` does (lxml delivers it in parts around character references)."""

    def __init__(self, reader: Reader):
        self.reader, self.text = reader, []

    def _text(self) -> None:
        if self.text:
            self.reader.handle_data("".join(self.text))
            self.text = []

    def start(self, tag, attrib) -> None:
        self._text()
        self.reader.handle_starttag(tag, list(attrib.items()))

    def end(self, tag) -> None:
        self._text()
        self.reader.handle_endtag(tag)

    def data(self, data: str) -> None:
        self.text.append(data)

    def comment(self, text) -> None:
        self._text()

    def close(self) -> None:
        self._text()
