"""Safety content: every red flag at its tier in the box and lesson 7, safety questions, wording."""

from __future__ import annotations

import re
from html import unescape

import pytest

from spasm_edu.content import CONTENT_DIR, Lesson, load_course
from spasm_edu.local_help import LocalHelp
from spasm_edu.strings import STRINGS, text
from spasm_edu.widgets._render import red_flags_html

COURSE, _ = load_course()
LESSON_7 = COURSE.lesson("when-to-see-a-doctor")

# Each sign of the second clinical review (docs: medical-facts.md 7.1 and 1.11), as the ideas
# that must all be found, in words a learner reads, at its tier. A pattern per idea: the wording
# may change, the idea may not go.
EMERGENCY = {
    "saddle numbness": [r"numbness", r"between (your|the) legs"],
    "bladder or bowel": [r"trouble peeing", r"leaking pee or poo"],
    "both legs": [r"both\*{0,2} legs", r"trouble walking"],
    "burst aortic aneurysm": [r"sudden", r"tummy", r"faint", r"dizzy", r"sweaty", r"pale"],
    "cancer with nerve signs": [r"cancer now or in the past, with weak legs"],
    "serious fall or accident": [r"fall", r"accident"],
    "chest pain": [r"chest pain"],
    "sexual problems": [r"problems with sex"],
}
EMERGENCY_TODAY = {
    "fever with infection risk": [
        r"emergency department today",
        r"fever",
        r"inject(s|ing)? drugs",
        r"weak immune system",
        r"infection",
        r"spine",
    ],
}
SAME_DAY = {
    "cancer and new back pain": [r"cancer", r"doctor or (your |the )?cancer team"],
    "new leg or foot weakness": [r"weakness in a leg or foot", r"foot that drags"],
    "spreading numbness": [r"numbness that spreads"],
    "thin bones or steroid tablets": [r"thin bones", r"steroid tablets", r"small fall"],
    "fever": [r"fever"],
    "weight loss": [r"weight without trying"],
    "night or rest pain": [r"worse at night", r"rest"],
    "cough, sneeze, poo": [r"cough", r"sneez", r"poo"],
    "lump or shape": [r"lump", r"shape"],
    "between the shoulder blades": [r"between the shoulder blades"],
}
ALL_TIERS = {"emergency": EMERGENCY, "emergency today": EMERGENCY_TODAY, "same day": SAME_DAY}
# Retired by the second clinical review: overstated, blaming, or contradicted by the evidence.
RETIRED = (
    "strong pain pills",
    "lifting the wrong way",
    "the wrong way",
    "keep your back straight",
    "sit up straight",
    "usually gone in 4 to 6 weeks",
    "about 3 in 4",
    "for the first 6 weeks do not lift heavy things or twist",
    "stay positive",
    "911 in the us, 999 in the uk",
)
# News summaries and mirrors: never the address a section cites.
NOT_CANONICAL = (
    "clinicaladvisor.com",
    "neurologyadvisor.com",
    "consumer.healthday.com",
    "flipbuilder.com",
    "helpof.com",
    "findzebra",
    "barabone",
    "1stchoicepharmacy",
    "redflagsymptoms",
    "3slastxawesome",
    "adam.com",
    "fortishealthcare",
    "franco.com.uy",
    "iqscloud.net",
    "knowyourotcs.org",
    "mims.co.uk",
)


def plain(html: str) -> str:
    """The words a learner reads: tags and **bold** marks out, entities decoded, one line."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).replace("**", "").split())


def lesson_tiers(lesson: Lesson) -> dict[str, str]:
    body = {s.id: s.body for s in lesson.sections}
    return {
        "emergency": body["call-now"],
        "emergency today": body["fever-with-risk"],
        "same day": body["same-day"],
    }


def box_tiers() -> dict[str, str]:
    return {
        "emergency": text("red_flags_now_signs"),
        "emergency today": text("red_flags_fever"),
        "same day": text("red_flags_same_day_signs"),
    }


@pytest.mark.parametrize("where", ["box", "lesson 7"])
@pytest.mark.parametrize(
    ("tier", "sign"), [(t, s) for t, signs in ALL_TIERS.items() for s in signs], ids=str
)
def test_every_red_flag_is_at_its_tier(where: str, tier: str, sign: str) -> None:
    found = plain((box_tiers() if where == "box" else lesson_tiers(LESSON_7))[tier])
    for idea in ALL_TIERS[tier][sign]:
        assert re.search(idea, found, re.IGNORECASE), f"{where}, {tier}: {sign}: no {idea!r}"


def test_the_box_shows_every_tier_on_the_page() -> None:
    shown = plain(red_flags_html(COURSE, local=LocalHelp()))
    for part in box_tiers().values():
        assert plain(part) in shown
    assert "Call your local emergency number now" in shown
    assert "from a doctor or urgent care" in shown


def test_leg_pain_alone_is_not_same_day_but_see_a_doctor() -> None:
    same_day = plain(lesson_tiers(LESSON_7)["same day"] + box_tiers()["same day"]).lower()
    assert "below the knee" not in same_day
    routine = plain(next(s.body for s in LESSON_7.sections if s.id == "see-a-doctor")).lower()
    for idea in ("below the knee", "on its own", "few weeks", "getting worse", "daily life"):
        assert idea in routine, idea


def test_serious_causes_are_rare_and_a_bit_more_common_in_older_people() -> None:
    prose = plain(" ".join(s.body for s in LESSON_7.sections) + " ".join(LESSON_7.key_points))
    assert "Fewer than 1 in 100" in prose
    assert "a bit more common in older people" in prose


def test_lesson_7_names_112_and_examples_and_no_country_is_the_default() -> None:
    prose = plain(" ".join(s.body for s in LESSON_7.sections))
    assert re.search(r"most of Europe.*112", prose)
    assert "911 in the US" in prose and "999 in the UK" in prose
    assert "911" not in STRINGS["en"]["red_flags_now"] + STRINGS["en"]["red_flags_now_signs"]
    svg = (CONTENT_DIR / "images" / "red-flag-tiers.svg").read_text(encoding="utf-8")
    assert "911" not in svg and "999" not in svg


def shipped_texts() -> dict[str, str]:
    """Every file of shipped words: lessons, shared YAML, pictures, and the app's strings."""
    files = {p.name: p.read_text(encoding="utf-8") for p in CONTENT_DIR.rglob("*.yaml")}
    files |= {p.name: p.read_text(encoding="utf-8") for p in CONTENT_DIR.rglob("*.svg")}
    files["strings.py"] = "\n".join(STRINGS["en"].values())
    return files


@pytest.mark.parametrize("phrase", RETIRED)
def test_retired_phrases_appear_nowhere(phrase: str) -> None:
    for name, body in shipped_texts().items():
        # YAML folds long lines: compare with runs of spaces and line breaks as one space.
        assert phrase not in " ".join(body.lower().split()), f"{phrase!r} in {name}"


def test_every_section_cites_a_known_canonical_source() -> None:
    for lesson in COURSE.lessons:
        for section in lesson.sections:
            assert section.sources, (lesson.id, section.id)
            for ref in section.sources:
                url = COURSE.sources[ref].url
                assert url.startswith(("https://", "http://")), (section.id, ref, url)
                assert not any(bad in url for bad in NOT_CANONICAL), (section.id, ref, url)


CHANGED_SECTIONS = {
    "three-levels",
    "call-now",
    "fever-with-risk",
    "same-day",
    "see-a-doctor",
    "tell-your-doctor",
}


def test_the_sections_changed_by_the_review_are_dated_and_cite_the_review() -> None:
    sections = {s.id: s for s in LESSON_7.sections}
    assert set(sections) == CHANGED_SECTIONS
    assert {str(s.reviewed) for s in sections.values()} == {"2026-12-01"}
    assert {"R62", "R63"} <= set(sections["call-now"].sources)
    assert {"R62", "R64"} <= set(sections["same-day"].sources)


SAFETY_QUESTIONS = {
    "symptoms": {"numbness-myth"},
    "home-care": {"cold-or-heat", "sleep-heating-pad"},
    "medicines-and-care": {"nsaid-safety", "opioid-facts", "nsaid-stop-signs"},
    "when-to-see-a-doctor": {
        "match-tiers",
        "match-new-signs",
        "numbness-wait-myth",
        "leaking-pee-action",
        "tummy-pain-faint",
        "fever-with-risk",
        "cancer-new-pain",
    },
    "final-quiz": {"common-feeling", "match-tiers", "match-new-tiers"},
}


def test_the_questions_where_a_wrong_answer_is_unsafe_are_safety_questions() -> None:
    marked = {
        x.id: {q.id for q in x.quiz.questions if q.safety}
        for x in COURSE.lessons
        if any(q.safety for q in x.quiz.questions)
    }
    assert marked == SAFETY_QUESTIONS


@pytest.mark.parametrize(
    "question",
    [q for x in COURSE.lessons for q in x.quiz.questions if q.safety],
    ids=lambda q: q.id,
)
def test_every_safety_question_carries_a_safety_verdict(question) -> None:
    if question.type == "match":
        last = question.groups[-1].id
        assert question.groups[0].id == "emergency", "most urgent group first"
        assert any(i.answer != last for i in question.items)
    else:
        unsafe = [c for c in question.choices if c.unsafe]
        assert unsafe, "no wrong choice says 'Not safe'"
        for choice in unsafe:
            assert len(choice.feedback.split()) >= 5, choice.id  # the verdict and a reason
    # Red-flag single choices: every way to get it wrong is unsafe (no mild "Not quite.").
    if question.type == "single" and question.id in SAFETY_QUESTIONS["when-to-see-a-doctor"]:
        assert all(c.unsafe for c in question.choices if not c.correct), question.id
