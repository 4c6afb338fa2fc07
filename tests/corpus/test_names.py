"""Author names: bylines parsed into family and given names, and the spellings of one person grouped."""

from __future__ import annotations

from tuireader.corpus import names
from tuireader.corpus.model import Author, Paper
from tuireader.corpus.names import People, parse_family_given_pairs, parse_name


def people(*names: str) -> People:
    return People(parse_name(name) for name in names)


def person_name(group: People, name: str) -> str:
    return group.person(parse_name(name)).name


def test_a_byline_is_pairs_of_family_and_given_names():
    assert parse_family_given_pairs("Mu, Jesse, Li, Xiang Lisa, Goodman, Noah") == (
        Author("Mu", "Jesse"),
        Author("Li", "Xiang Lisa"),
        Author("Goodman", "Noah"),
    )
    assert parse_family_given_pairs("Bowman, Samuel R., O'Hara, Clare, Mindermann, Sören") == (
        Author("Bowman", "Samuel R."),
        Author("O'Hara", "Clare"),
        Author("Mindermann", "Sören"),
    )


def test_prose_and_odd_lists_are_not_bylines():
    assert parse_family_given_pairs("Emergent Communication of Generalizations") is None
    assert parse_family_given_pairs("Mu, Jesse, Goodman") is None  # a family without its given name
    assert parse_family_given_pairs("In over 3,000 estimated hours, we did things.") is None


def test_names_typed_either_way():
    assert parse_name("Goodman, Noah D.") == Author("Goodman", "Noah D.")
    assert parse_name("Noah D. Goodman") == Author("Goodman", "Noah D.")
    assert parse_name("Ludwig van Beethoven") == Author("van Beethoven", "Ludwig")
    assert parse_name("Goodman") == Author("Goodman")


def test_a_shorter_spelling_joins_the_fullest_one():
    group = people("Goodman, Noah", "Goodman, Noah D.", "Goodman, Noah")
    assert person_name(group, "Goodman, Noah") == "Goodman, Noah D."
    assert group.person(parse_name("Goodman, Noah")) == group.person(parse_name("Goodman, Noah D."))


def test_accents_and_case_do_not_make_two_people():
    group = people("Mindermann, Sören", "Mindermann, Soren", "MINDERMANN, Sören")
    assert len({group.person(parse_name(n)).key for n in ("Mindermann, Sören", "Mindermann, Soren")}) == 1


def test_letters_without_a_decomposition_fold_too():
    group = people("Søgaard, Anders", "Sogaard, Anders")
    assert group.person(parse_name("Søgaard, Anders")) == group.person(parse_name("Sogaard, Anders"))
    assert [p.name for p in group.find("Anders Sogaard")] == [person_name(group, "Sogaard, Anders")]


def test_same_family_different_given_names_stay_apart():
    group = people("Wang, Tony T.", "Wang, Rose E.", "Goodman, Noah D.", "Goodman, Nicole")
    assert person_name(group, "Wang, Tony T.") == "Wang, Tony T."
    assert person_name(group, "Wang, Rose E.") == "Wang, Rose E."
    assert person_name(group, "Goodman, Nicole") == "Goodman, Nicole"
    assert group.person(parse_name("Goodman, Nicole")) != group.person(parse_name("Goodman, Noah D."))


def test_same_given_name_different_middle_initials_stay_apart():
    group = people("Smith, John A.", "Smith, John B.")
    assert group.person(parse_name("Smith, John A.")) != group.person(parse_name("Smith, John B."))


def test_same_given_name_different_families_stay_apart():
    group = people("Graham, Logan", "Howard, Logan")
    assert person_name(group, "Graham, Logan") == "Graham, Logan"
    assert person_name(group, "Howard, Logan") == "Howard, Logan"


def test_an_initial_that_fits_two_people_joins_neither():
    group = people("Goodman, Noah D.", "Goodman, Nicole", "Goodman, N.")
    initial = group.person(parse_name("Goodman, N."))
    assert initial.name == "Goodman, N."
    assert initial not in {
        group.person(parse_name("Goodman, Noah D.")),
        group.person(parse_name("Goodman, Nicole")),
    }


def test_an_initial_that_fits_one_person_joins_them():
    group = people("Goodman, Noah D.", "Goodman, N. D.", "Goodman, N.")
    assert person_name(group, "Goodman, N. D.") == "Goodman, Noah D."
    assert person_name(group, "Goodman, N.") == "Goodman, Noah D."


def test_an_ambiguous_name_spelled_twice_is_still_one_person():
    group = people("Goodman, Noah D.", "Goodman, Noah E.", "Goodman, Noah", "GOODMAN, Noah")
    noah = group.person(parse_name("Goodman, Noah"))
    assert group.person(parse_name("GOODMAN, Noah")) == noah
    assert noah not in {
        group.person(parse_name("Goodman, Noah D.")),
        group.person(parse_name("Goodman, Noah E.")),
    }
    papers = [Paper(authors=(Author("Goodman", "Noah"),)), Paper(authors=(Author("GOODMAN", "Noah"),))]
    assert [count for _, count in group.counts(papers)] == [2]


def test_every_person_has_their_own_key():
    spellings = ["Wang, Hao Y.", "Wang, Hao Z.", "Wang, Hao", "WANG, Hao", "Wang", "WANG", "Wang, H."]
    group = people(*spellings)
    names_by_key: dict[str, set[str]] = {}
    for spelling in spellings:
        person = group.person(parse_name(spelling))
        names_by_key.setdefault(person.key, set()).add(person.name)
    assert all(len(names) == 1 for names in names_by_key.values())


def test_thousands_of_spellings_of_common_family_names_group_quickly(monkeypatch):
    syllables = ["wei", "jun", "xiao", "ming", "hao", "yu", "li", "qing", "jie", "fang", "lei", "tao"]
    spellings = [
        Author(family, f"{first.capitalize()}{second} {initial}.")
        for family in ("Wang", "Li", "Zhang")
        for first in syllables
        for second in syllables
        for initial in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:12]
    ]
    comparisons = 0
    compatible = names.given_names_compatible

    def counted(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
        nonlocal comparisons
        comparisons += 1
        return compatible(a, b)

    monkeypatch.setattr(names, "given_names_compatible", counted)
    group = People([*spellings, Author("Wang", "Haoyu"), Author("Wang", "H.")])
    # Work, not time: comparing each spelling with every cluster of its family made about 4.5
    # million comparisons (18 s); comparing only with clusters that could match makes under 30,000.
    assert comparisons < 10 * len(spellings)
    assert group.person(Author("Wang", "Haoyu")).name == "Wang, Haoyu"  # fits 12 Haoyus: its own
    assert group.person(Author("Wang", "H.")).name == "Wang, H."  # fits hundreds of Wangs


def test_a_bare_family_name_joins_only_an_only_person():
    assert person_name(people("Goodman, Noah D.", "Goodman"), "Goodman") == "Goodman, Noah D."
    assert person_name(people("Goodman, Noah D.", "Goodman, Nicole", "Goodman"), "Goodman") == "Goodman"


def test_counts_a_person_once_per_paper_most_papers_first():
    papers = [
        Paper(title="One", authors=(Author("Goodman", "Noah"), Author("Mu", "Jesse"))),
        Paper(title="Two", authors=(Author("Goodman", "Noah D."),)),
        Paper(title="Three", authors=(Author("Goodman", "Nicole"), Author("Goodman", "Noah"))),
        Paper(title="Four", authors=(Author("Goodman", "Noah"), Author("Goodman", "Noah D."))),
    ]
    group = People(author for paper in papers for author in paper.authors)
    assert [(person.name, count) for person, count in group.counts(papers)] == [
        ("Goodman, Noah D.", 4),
        ("Goodman, Nicole", 1),
        ("Mu, Jesse", 1),
    ]


def test_finding_people_by_a_typed_name():
    group = people("Goodman, Noah", "Goodman, Noah D.", "Goodman, Nicole")
    assert [p.name for p in group.find("Noah Goodman")] == ["Goodman, Noah D."]
    assert [p.name for p in group.find("goodman")] == ["Goodman, Nicole", "Goodman, Noah D."]
    assert group.find("Nobody") == []
