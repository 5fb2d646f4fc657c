"""Sheet geometry, on its own: page sizes, positions, page counts, cut marks, calibration."""

from __future__ import annotations

import pytest

from jobday.badges import layouts
from jobday.badges.layouts import LAYOUTS, get_layout, page_count, plan_pages


@pytest.mark.parametrize("key, page, badge, per_page", [
    ("a6", (105, 148), (105, 148), 1),
    ("card", (85.6, 54), (85.6, 54), 1),
    ("a4-4", (210, 297), (105, 148), 4),
    ("a4-8", (210, 297), (85.6, 54), 8),
])
def test_page_and_badge_sizes(key, page, badge, per_page):
    layout = get_layout(key)
    assert (layout.page_width, layout.page_height) == page
    assert (layout.badge_width, layout.badge_height) == badge
    assert layout.per_page == per_page


def test_unknown_layouts_are_refused():
    with pytest.raises(ValueError):
        get_layout("letter")


def test_eight_up_positions_are_centred_in_two_columns_and_four_rows():
    [page] = plan_pages("a4-8", 8)
    assert [(slot.x, slot.y) for slot in page.slots] == [
        (19.4, 40.5), (105.0, 40.5), (19.4, 94.5), (105.0, 94.5),
        (19.4, 148.5), (105.0, 148.5), (19.4, 202.5), (105.0, 202.5)]
    assert all((slot.width, slot.height) == (85.6, 54.0) for slot in page.slots)


def test_four_up_tiles_the_sheet_with_a6_badges():
    [page] = plan_pages("a4-4", 4)
    assert [(slot.x, slot.y) for slot in page.slots] == [
        (0.0, 0.5), (105.0, 0.5), (0.0, 148.5), (105.0, 148.5)]


@pytest.mark.parametrize("key, count, expected", [
    ("a4-8", 17, [8, 8, 1]), ("a4-8", 16, [8, 8]), ("a4-8", 1, [1]), ("a4-8", 0, []),
    ("a4-4", 6, [4, 2]), ("a6", 3, [1, 1, 1]), ("card", 2, [1, 1]),
])
def test_full_pages_then_the_rest_on_the_last(key, count, expected):
    pages = plan_pages(key, count)
    assert [len(page.slots) for page in pages] == expected
    assert page_count(key, count) == len(expected)
    assert [slot.index for page in pages for slot in page.slots] == list(range(count))


def test_a_partial_last_page_fills_from_the_top_left():
    last = plan_pages("a4-8", 11)[-1]
    assert [(slot.x, slot.y) for slot in last.slots] == [(19.4, 40.5), (105.0, 40.5), (19.4, 94.5)]


@pytest.mark.parametrize("key", list(LAYOUTS))
def test_badges_stay_on_the_page_and_never_overlap(key):
    layout = get_layout(key)
    [page] = plan_pages(layout, layout.per_page)
    for slot in page.slots:
        assert 0 <= slot.x and slot.x + slot.width <= layout.page_width + 1e-9
        assert 0 <= slot.y and slot.y + slot.height <= layout.page_height + 1e-9
    for a in page.slots:
        for b in page.slots:
            if a is not b:
                assert (a.x + a.width <= b.x + 1e-9 or b.x + b.width <= a.x + 1e-9
                        or a.y + a.height <= b.y + 1e-9 or b.y + b.height <= a.y + 1e-9)


def test_the_calibration_offset_moves_badges_and_marks_alike():
    plain = plan_pages("a4-8", 8)[0]
    moved = plan_pages("a4-8", 8, offset=(1.5, -2.0))[0]
    for a, b in zip(plain.slots, moved.slots, strict=True):
        assert (round(b.x - a.x, 3), round(b.y - a.y, 3)) == (1.5, -2.0)
    for a, b in zip(plain.marks, moved.marks, strict=True):
        moves = (b.x1 - a.x1, b.y1 - a.y1, b.x2 - a.x2, b.y2 - a.y2)
        assert tuple(round(move, 3) for move in moves) == (1.5, -2.0, 1.5, -2.0)


@pytest.mark.parametrize("offset", [(10.5, 0), (0, -11), (-30, 30)])
def test_the_calibration_offset_is_bounded(offset):
    with pytest.raises(ValueError):
        plan_pages("a4-8", 8, offset=offset)


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        plan_pages("a4-8", -1)


def _inside(x, y, slot) -> bool:
    return slot.x < x < slot.x + slot.width and slot.y < y < slot.y + slot.height


def test_eight_up_cut_marks_prolong_every_cut_line_into_the_margins():
    layout = get_layout("a4-8")
    [page] = plan_pages(layout, 8)
    vertical = sorted({m.x1 for m in page.marks if m.x1 == m.x2})
    horizontal = sorted({m.y1 for m in page.marks if m.y1 == m.y2})
    assert vertical == [19.4, 105.0, 190.6]
    assert horizontal == [40.5, 94.5, 148.5, 202.5, 256.5]
    assert len(page.marks) == 2 * 3 + 2 * 5
    for mark in page.marks:
        length = abs(mark.x2 - mark.x1) + abs(mark.y2 - mark.y1)
        assert length == pytest.approx(layouts.MARK_LENGTH_MM)
        for x, y in ((mark.x1, mark.y1), (mark.x2, mark.y2)):
            assert 0 <= x <= layout.page_width and 0 <= y <= layout.page_height
            assert not any(_inside(x, y, slot) for slot in page.slots)


def test_four_up_crop_lines_sit_on_the_inner_cuts_inside_the_printable_area():
    [page] = plan_pages("a4-4", 4)
    assert len(page.marks) == 4
    for mark in page.marks:
        assert mark.x1 == mark.x2 == 105.0 or mark.y1 == mark.y2 == 148.5
        for value in (mark.x1, mark.x2) if mark.y1 == mark.y2 else (mark.y1, mark.y2):
            assert 4.0 <= value <= 11.0 or 4.0 <= (210 if mark.y1 == mark.y2 else 297) - value <= 11.0


@pytest.mark.parametrize("key", ["a6", "card"])
def test_single_badges_have_no_cut_marks(key):
    assert plan_pages(key, 2)[0].marks == ()


@pytest.mark.parametrize("pages, per_page, chunk_badges, workers, sizes", [
    (125, 8, 100, 2, [13, 13, 13, 13, 13, 12, 12, 12, 12, 12]),  # 1,000 badges: 10 even chunks
    (125, 8, 100, 1, [13, 13, 13, 13, 13, 12, 12, 12, 12, 12]),
    (125, 8, 100, 3, [11] * 5 + [10] * 7),  # 12 chunks: a multiple of 3
    (3, 8, 8, 2, [1, 1, 1]),  # never more chunks than pages
    (2, 8, 100, 2, [2]),  # a small run stays in one chunk (no workers to start)
    (13, 8, 100, 2, [7, 6]),
    (1, 1, 100, 2, [1]),
    (0, 8, 100, 2, []),
    (250, 4, 100, 2, [25] * 10),
])
def test_chunks_split_whole_pages_evenly_between_workers(pages, per_page, chunk_badges, workers, sizes):
    from jobday.badges.documents import chunk_sizes

    assert chunk_sizes(pages, per_page, chunk_badges, workers) == sizes
    assert sum(sizes) == pages
