import pytest

from council.councils.models import Tier
from council.extensions import db
from council.proposals import operations
from council.proposals.models import ProposalState
from council.proposals.queries import Filters, public_page
from council.proposals.search import terms_of


def test_chinese_text_is_cut_into_two_character_pieces():
    assert terms_of("儿童公园") == {"儿童", "童公", "公园"}
    assert terms_of("Park 公园 12") == {"park", "公园", "12"}


@pytest.fixture
def ideas(world):
    park = world.published(title="公园里需要长椅", problem="公园里没有地方坐。")
    lamp = world.published(title="路灯坏了", problem="学校门口的路灯不亮。", idea="修好路灯")
    school = world.published(title="学校食堂", problem="学校食堂排队太久。")
    hidden = world.submitted(title="公园厕所", problem="公园厕所太少。")  # not public yet
    return park, lamp, school, hidden


def find(q, **kwargs):
    return [p.title for p in public_page(Filters(q=q, **kwargs)).items]


def test_two_character_words_are_found_inside_text(ideas):
    assert find("公园") == ["公园里需要长椅"]
    assert find("路灯") == ["路灯坏了"]
    assert sorted(find("学校")) == ["学校食堂", "路灯坏了"]


def test_every_word_must_match(ideas):
    assert find("学校 路灯") == ["路灯坏了"]
    assert find("公园 路灯") == []


def test_longer_words_match_only_whole(ideas):
    assert find("学校门口") == ["路灯坏了"]
    assert find("学门口") == []


def test_single_characters_and_unknown_words(ideas):
    assert find("椅") == ["公园里需要长椅"]
    assert find("游泳池") == []


def test_withdrawn_ideas_drop_out_of_search(world, ideas):
    park = ideas[0]
    operations.withdraw(park, world.author)
    assert find("公园") == []


def test_sort_by_supports(world, ideas):
    park, lamp, school, _ = ideas
    operations.support(lamp, world.other_child)
    operations.support(lamp, world.sibling_child)
    operations.support(school, world.other_child)
    assert [p.title for p in public_page(Filters(sort="supported")).items] == ["路灯坏了", "学校食堂", "公园里需要长椅"]


def test_filters_by_council_tier_and_state(world, ideas):
    district_idea = world.published(world.coordinator, council=world.district, title="全区的公园地图")
    assert len(find("", council=world.district.id)) == 4  # a council's list includes the councils below
    assert find("", council=world.community_b.id) == []
    assert find("", tier=Tier.district) == [district_idea.title]
    assert len(find("", state=ProposalState.published)) == 4


@pytest.mark.parametrize("q", ["公园", "路灯", "学校", "学校 路灯", "公园 路灯", "学校门口", "园", "park"])
def test_every_search_plan_finds_the_same_ideas_in_the_same_order(ideas, q):
    """A rare word is looked up in the index, a common one checked idea by idea in list order, a count joins a
    two-character word's piece: same answer, and the kept total is the number of ideas found."""
    from council.extensions import db
    from council.proposals.queries import count

    looked_up = db.session.scalars(Filters(q=q).query(common=False)).all()
    scanned = db.session.scalars(Filters(q=q).query(common=True)).all()
    counted = db.session.scalars(Filters(q=q).query(counting=True)).all()
    assert looked_up == scanned == counted
    assert count(Filters(q=q)) == len(looked_up)


def test_the_list_pages_by_cursor_without_losing_or_repeating_an_idea(world, app):
    for n in range(7):
        world.published(title=f"想法{n}", problem="公园里没有地方坐。")
    app.config["IDEAS_PER_PAGE"] = 3
    for sort in ("newest", "supported"):
        seen, page, after = [], 1, None
        while True:
            result = public_page(Filters(sort=sort), page=page, after=after)
            seen += [p.id for p in result.items]
            if not result.has_next:
                break
            page, after = page + 1, result.after
        app.config["IDEAS_PER_PAGE"] = 100
        everything = [p.id for p in public_page(Filters(sort=sort)).items]
        app.config["IDEAS_PER_PAGE"] = 3
        assert seen == everything and len(seen) == 7


def test_a_list_statement_kept_for_its_shape_reads_each_readers_values(world, ideas):
    """Lists keep one statement per shape of filters (council/loading.py: prepared) and run it with the reader's
    values: the same shape with other values must find other ideas."""
    sibling = world.draft(author=world.sibling_child, council=world.community_b, title="乙社区的路灯")
    operations.submit(sibling, world.sibling_child)
    operations.publish(sibling, world.sibling_facilitator)
    db.session.commit()
    in_a = sorted(["公园里需要长椅", "路灯坏了", "学校食堂"])
    assert sorted(find("", council=world.community_a.id)) == in_a
    assert find("", council=world.community_b.id) == [sibling.title]
    assert sorted(find("", council=world.street_a.id)) == in_a  # the councils below it too
    assert find("路灯", council=world.community_b.id) == [sibling.title]
    assert find("路灯", council=world.community_a.id) == ["路灯坏了"]
    assert find("", council=999_999) == find("")  # an unknown council is ignored, as before


def test_percent_underscore_and_backslash_are_searched_as_typed_not_as_wildcards(world, ideas):
    world.published(title="绿化率要到50%", problem="树太少。")
    world.published(title="snake_case 的名字", problem="名字里有下划线。")
    world.published(title="反斜杠\\的故事", problem="一个符号。")
    assert find("%") == ["绿化率要到50%"]
    assert find("50%") == ["绿化率要到50%"]
    assert find("_") == ["snake_case 的名字"]
    assert find("snake_case") == ["snake_case 的名字"]
    assert find("\\") == ["反斜杠\\的故事"]
    assert find("%%") == [] and find("__") == [] and find("5_%") == []
