
from council.extensions import db
from council.proposals import operations as ideas
from council.uploads import storage
from council.uploads.images import process_image
from tests.conftest import kept_world
from tests.proposals.conftest import World
from tests.uploads.test_images import encode, gps_exif, two_halves


def picture(proposal, uploader, description="我画的秋千"):
    """A real picture through the upload pipeline, attached to the idea."""
    processed = process_image(encode(two_halves((120, 80)), "JPEG", exif=gps_exif()))
    stored = storage.store_image(processed, uploader)
    ideas.attach(proposal, uploader, stored, description)
    db.session.commit()
    return stored


class PrivacyWorld(World):
    """The proposals world, plus a child with a public idea, a draft with a picture, and a support."""

    def __init__(self, make):
        super().__init__(make)
        draft = self.draft(title="图书馆周末开门")
        self.draft_picture = picture(draft, self.author, "图书馆")
        self.draft_idea = draft
        public = self.draft(title="公园秋千坏了")
        self.public_picture = picture(public, self.author)
        ideas.submit(public, self.author)
        ideas.publish(public, self.facilitator)
        db.session.commit()
        self.public_idea = public
        other = self.draft(author=self.other_child, title="操场要有树荫")
        ideas.submit(other, self.other_child)
        ideas.publish(other, self.facilitator)
        ideas.support(other, self.author)
        db.session.commit()
        self.supported_idea = other


@kept_world
def world(make):
    return PrivacyWorld(make)


def sign_in(client, username, password=None):
    from tests.conftest import PASSWORD

    client.post("/login", data={"username": username, "password": password or PASSWORD})
    client.set_cookie("lang", "en")

