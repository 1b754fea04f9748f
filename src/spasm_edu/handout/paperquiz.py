"""A lesson's quiz on paper, for a class without devices: the sheet, and the key to mark it.

Every question type prints: boxes to tick for choices, a box to write a group's letter or a
step's place for match and order questions. The order of the parts comes from the quiz engine
(``QuestionRules.arrange``, seeded per question), so a sheet and its key always agree and an
order question never prints its answer as the order shown.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from string import ascii_uppercase

from markupsafe import Markup

from ..content import Lesson, Question
from ..content.model import QuestionType
from ..markup import inline, plain
from ..quiz import rules_of
from ..quiz.types import Match
from ..strings import text
from ._markup import TICK_BOX, disclaimer, document
from ._options import Paper


def shown_order(lesson: Lesson, question: Question) -> tuple[str, ...]:
    """The ids of the question's choices or items in the order the sheet prints them."""
    rng = random.Random(f"{lesson.id}/{question.id}")  # noqa: S311 (shuffling, not security)
    return rules_of(question).arrange(rng, lesson.quiz.shuffle)


def _letters(ids: tuple[str, ...]) -> dict[str, str]:
    return dict(zip(ids, ascii_uppercase, strict=False))


class _Printer:
    """How one question type is printed on the sheet and in the key."""

    def sheet(self, lesson: Lesson, q: Question, lang: str) -> Markup:
        """The question's parts to answer on paper, with a line saying how."""
        raise NotImplementedError

    def key(self, lesson: Lesson, q: Question, lang: str) -> Markup:
        """The right answer, part by part, with each part's feedback."""
        raise NotImplementedError


class _ChoicePrinter(_Printer):
    """Single, multiple, true/false, myth/fact: a box to tick by each lettered choice."""

    def __init__(self, hint_key: str) -> None:
        self.hint_key = hint_key

    def sheet(self, lesson: Lesson, q: Question, lang: str) -> Markup:
        rules, order = rules_of(q), shown_order(lesson, q)
        letters = _letters(order)
        items = Markup().join(
            Markup('<li><span class="box" aria-hidden="true">{}</span> {}. {}</li>').format(
                TICK_BOX, letters[ref], inline(rules.label(ref, lang))
            )
            for ref in order
        )
        return _hint(text(self.hint_key, lang)) + Markup('<ul class="ticks">{}</ul>').format(items)

    def key(self, lesson: Lesson, q: Question, lang: str) -> Markup:
        rules, order = rules_of(q), shown_order(lesson, q)
        letters = _letters(order)
        choices = {c.id: c for c in q.choices}
        right = [ref for ref in order if choices[ref].correct]
        answer = Markup(", ").join(
            Markup("{}. {}").format(letters[ref], inline(rules.label(ref, lang))) for ref in right
        )
        lines = Markup().join(
            Markup("<li>{verdict} {letter}. {label}<br>{feedback}</li>").format(
                verdict=_verdict(choices[ref].correct, lang),
                letter=letters[ref],
                label=inline(rules.label(ref, lang)),
                feedback=Markup('<span class="feedback">{}</span>').format(
                    inline(choices[ref].feedback)
                ),
            )
            for ref in order
        )
        return _answer(answer, lang) + Markup("<ul>{}</ul>").format(lines)


class _MatchPrinter(_Printer):
    """Match: the groups lettered, and a box by each item for a group's letter."""

    def sheet(self, lesson: Lesson, q: Question, lang: str) -> Markup:
        groups = Markup().join(
            Markup("<li>{}. {}</li>").format(letter, inline(g.text))
            for g, letter in zip(q.groups, ascii_uppercase, strict=False)
        )
        rules = rules_of(q)
        items = Markup().join(
            Markup('<li><span class="blank" aria-hidden="true"></span> {}</li>').format(
                inline(rules.label(ref, lang))
            )
            for ref in shown_order(lesson, q)
        )
        return (
            _hint(text("handout_match_hint", lang))
            + Markup("<p><strong>{}</strong></p><ul>{}</ul>").format(
                text("handout_groups", lang), groups
            )
            + Markup('<ul class="write">{}</ul>').format(items)
        )

    def key(self, lesson: Lesson, q: Question, lang: str) -> Markup:
        rules = Match(q)
        letters = {g.id: letter for g, letter in zip(q.groups, ascii_uppercase, strict=False)}
        items = {i.id: i for i in q.items}
        lines = Markup().join(
            Markup("<li>{item} → <strong>{letter}. {group}</strong><br>{feedback}</li>").format(
                item=inline(items[ref].text),
                letter=letters.get(items[ref].answer or "", "?"),
                group=inline(rules.group_label(items[ref].answer or "")),
                feedback=Markup('<span class="feedback">{}</span>').format(
                    inline(items[ref].feedback)
                ),
            )
            for ref in shown_order(lesson, q)
        )
        return Markup("<ul>{}</ul>").format(lines)


class _OrderPrinter(_Printer):
    """Order: the steps shuffled, and a box by each for its place (1 = first)."""

    def sheet(self, lesson: Lesson, q: Question, lang: str) -> Markup:
        rules = rules_of(q)
        items = Markup().join(
            Markup('<li><span class="blank" aria-hidden="true"></span> {}</li>').format(
                inline(rules.label(ref, lang))
            )
            for ref in shown_order(lesson, q)
        )
        hint = text("order_hint", lang, n=len(q.items))
        return _hint(hint) + Markup('<ul class="write">{}</ul>').format(items)

    def key(self, lesson: Lesson, q: Question, lang: str) -> Markup:
        steps = Markup().join(
            Markup('<li>{}<br><span class="feedback">{}</span></li>').format(
                inline(item.text), inline(item.feedback)
            )
            for item in q.items
        )
        return Markup("<p><strong>{}</strong></p><ol>{}</ol>").format(
            text("handout_right_order", lang), steps
        )


# One row per question type, like the engine's RULES and the widgets' INPUTS.
PRINTERS: Mapping[QuestionType, _Printer] = {
    "single": _ChoicePrinter("handout_tick_one"),
    "multiple": _ChoicePrinter("handout_tick_all"),
    "true_false": _ChoicePrinter("handout_tick_one"),
    "myth_fact": _ChoicePrinter("handout_tick_one"),
    "match": _MatchPrinter(),
    "order": _OrderPrinter(),
}


def _hint(words: str) -> Markup:
    return Markup('<p class="hint">{}</p>').format(words)


def _verdict(right: bool, lang: str) -> Markup:
    icon, word = ("✔", "handout_key_right") if right else ("✘", "handout_key_wrong")
    return Markup('<span class="verdict"><span aria-hidden="true">{}</span> {}:</span>').format(
        icon, text(word, lang)
    )


def _answer(answer: Markup, lang: str) -> Markup:
    return Markup("<p><strong>{}:</strong> {}</p>").format(text("answer_was", lang), answer)


def _question(lesson: Lesson, number: int, q: Question, inner: Markup) -> Markup:
    lang, total = lesson.language, len(lesson.quiz.questions)
    return Markup(
        '<section class="question" aria-labelledby="q-{n}"><h2 id="q-{n}">{heading}</h2>'
        '<p class="prompt">{prompt}</p>{inner}</section>'
    ).format(
        n=number,
        heading=text("question_number", lang, number=number, total=total),
        prompt=inline(q.prompt),
        inner=inner,
    )


def _title(lesson: Lesson, key: str) -> str:
    # "Quiz: Caring for a back spasm at home"; the final quiz is called a quiz already.
    if key == "handout_quiz_title" and lesson.kind == "quiz":
        return plain(lesson.title)
    return text(key, lesson.language, title=plain(lesson.title))


def quiz_sheet(lesson: Lesson, paper: Paper = "a4") -> Markup:
    """The questions of a lesson's quiz on paper: boxes to tick, boxes to write in."""
    lang = lesson.language
    title = _title(lesson, "handout_quiz_title")
    questions = Markup().join(
        _question(lesson, n, q, PRINTERS[q.type].sheet(lesson, q, lang))
        for n, q in enumerate(lesson.quiz.questions, 1)
    )
    body = Markup(
        '<h1>{title}</h1><p class="name-line"><span>{name}:</span><span>{date}:</span></p>'
        "<p>{intro}</p>{questions}{disclaimer}"
    ).format(
        title=title,
        name=text("handout_name", lang),
        date=text("handout_date", lang),
        intro=text("handout_quiz_intro", lang),
        questions=questions,
        disclaimer=disclaimer(lang),
    )
    return document(title=title, language=lang, paper=paper, body=body)


def answer_key(lesson: Lesson, paper: Paper = "a4") -> Markup:
    """The key to a quiz sheet: every right answer by the sheet's letters, why, and feedback."""
    lang = lesson.language
    title = _title(lesson, "handout_key_title")
    questions = Markup().join(
        _question(
            lesson,
            n,
            q,
            PRINTERS[q.type].key(lesson, q, lang)
            + Markup("<p><strong>{}:</strong> {}</p>").format(
                text("handout_why", lang), inline(q.explanation)
            ),
        )
        for n, q in enumerate(lesson.quiz.questions, 1)
    )
    body = Markup("<h1>{}</h1><p>{}</p>{}").format(
        title, text("handout_key_intro", lang), questions
    )
    return document(title=title, language=lang, paper=paper, body=body)
