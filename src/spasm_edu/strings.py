"""Every user-facing string of the app, in one place (content text lives in YAML).

English is here; every other language is a file, content/translations/<lang>/strings.yaml, with
the same keys (`spasm-edu validate` reports missing ones; a page falls back to English for them).
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

import yaml

from .content import CONTENT_DIR, Problem
from .content._yaml import _LOADER, read_yaml
from .content.translations import ENGLISH, languages, translation_dir

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "course_name": "Back spasms: what helps and when to get help",
        # The language switch names each language in itself ("English | Español").
        "language_name": "English",
        "language_switch": "Language",
        # The banner when the page's kernel is gone (the template says it in English when the
        # page never drew), and the page when the server has no room for another visitor.
        "connection_lost": "Connection lost. Please reload the page — your saved answers "
        "will come back.",
        # The banner when a widget did not load twice in a row (the template's watchdog
        # reloads the page once first); in English only, as the page's widgets never drew.
        "page_broken": "Part of this page did not load. Please reload the page — your saved "
        "answers will come back.",
        "busy_title": "The server is busy",
        "busy_body": "Too many people opened a page at the same moment. Please try again in "
        "a minute.",
        "busy_retry": "This page tries again by itself in {retry} seconds, or {link}.",
        "busy_retry_now": "try again now",
        # The notebooks' own intro (spasm-edu notebooks writes them in English; a page in
        # another language shows its words instead, see widgets/_render.page_intro_html).
        "nb_start_intro": "Welcome. This short course explains back spasms in plain words: what "
        "they are, why they happen, what you can do at home, and when to get help. Pick a lesson "
        "below, or test yourself with the final quiz.",
        "nb_check_intro": "A short, optional check of what you know about back spasms. It is not "
        "a test: it helps you and your teacher see what you learned.",
        "nb_educator_title": "Class results for educators",
        "nb_educator_intro": "For teachers. Enter the educator passcode and your class code to see "
        "how the class is doing: who joined, scores, each question, and which myths are still "
        "believed.",
        "disclaimer": (
            "This is education, not medical advice. It cannot tell what is wrong with you. "
            "In an emergency, call your local emergency number."
        ),
        "red_flags_title": "Get help now",
        # The always-visible box. {emergency} and {urgent_care} are the server's settings
        # (spasm_edu.local_help), or the default wording below; each "signs" line is a bullet.
        "red_flags_now": "Call {emergency} now if back pain comes with any of these:",
        "red_flags_now_signs": (
            "Numbness between your legs or around your bottom.\n"
            "New trouble peeing or pooing, leaking pee or poo, or new problems with sex.\n"
            "Weakness or numbness in both legs, or trouble walking.\n"
            "Sudden, very bad pain in the tummy or back, with feeling faint, dizzy, sweaty "
            "or pale.\n"
            "Cancer now or in the past, with weak legs, numbness, trouble walking, or new "
            "bladder or bowel problems.\n"
            "Chest pain, or a bad fall or accident."
        ),
        "red_flags_fever": (
            "Go to the emergency department today for back pain with a fever, if you inject "
            "drugs, have a weak immune system, or recently had an infection or a spine procedure."
        ),
        "red_flags_same_day": (
            "Get help the same day from a doctor or {urgent_care} if back pain comes with any "
            "of these:"
        ),
        "red_flags_same_day_signs": (
            "Cancer now or in the past: contact your doctor or cancer team.\n"
            "New weakness in a leg or foot, like a foot that drags, or numbness that spreads.\n"
            "Thin bones or long-term steroid tablets, and sudden pain, even after a small fall.\n"
            "A fever, or losing weight without trying.\n"
            "Pain that is worse at night, does not ease with rest, or gets worse when you "
            "cough, sneeze or poo.\n"
            "A lump or a change in the shape of your back, or pain high up between the "
            "shoulder blades."
        ),
        "emergency_number_default": "your local emergency number",
        "urgent_care_default": "urgent care",
        "red_flags_link": "Read more: when to see a doctor",
        "nav_start": "Back to the start page",
        "nav_next": "Next: {title}",
        "nav_lesson_of": "Lesson {number} of {total}",
        "nav_label": "Lessons",
        "nav_label_end": "Lessons (end of page)",
        "objectives_title": "In this lesson you will learn to",
        "key_points_title": "Key points",
        "sources_title": "Sources",
        "words_title": "Words explained",
        "reviewed": "Checked against sources on {date}.",
        "evidence_title": "What the evidence says",
        "quiz_title": "Check what you learned",
        "question_number": "Question {number} of {total}",
        "check": "Check answer",
        "try_again": "Try again",
        "show_answer": "Show answer",
        "restart": "Start the quiz again",
        "choose_first": "Choose an answer first.",
        "choose_all_items": "Choose an answer for every item first.",
        "saved": "Saved.",
        "keep_link": "Your answers are saved. To come back to them later, bookmark",
        "keep_link_label": "your private link to this lesson.",
        "download_results": "Download my results",
        "download_ready": "Your results file is ready:",
        "download_file": "save my-results.csv",
        "download_failed": "Your results could not be read just now. Please try again in a minute.",
        "checklist_download": "Download this list to print or keep",
        "checklist_intro": "Tick each line once it is done or answered. Write your notes below.",
        "checklist_notes": "My notes",
        "not_saved": "Not saved yet, retrying. You can keep going: nothing is lost.",
        "right": "Right!",
        "not_quite": "Not quite.",
        # A wrong answer to a safety question that would not be safe to act on (the reason
        # follows: the feedback of the choice or item, see docs/content-format.md).
        "not_safe": "Not safe.",
        "answer_was": "The answer",
        "your_answer_parts": "{right} of {total} right.",
        "progress": "{answered} of {total} questions answered",
        "progress_label": "Quiz progress",
        "score": "You got {score} of {total} right on the first try.",
        "select_all": "Select all that apply.",
        "match_hint": "Choose a group for each item.",
        "order_hint": "Give each step its place, from 1 (first) to {n} (last).",
        "choose_group": "Choose…",
        "choose_place": "Place…",
        "band_high": "Great work! You know this topic well.",
        "band_mid": "Good effort. Look back at the questions you missed, then try again.",
        "band_low": "This is a lot to learn. Read the lesson again and have another go: "
        "that is how learning works.",
        "error_generic": "Sorry, something went wrong. Your answers so far are kept. "
        "Please try again, or reload the page.",
        "lesson_broken": "Sorry, this lesson cannot be shown right now. The other lessons still "
        "work. Please tell your teacher or the course team.",
        "lesson_broken_details": "Details for the course team",
        "start_lessons_title": "The lessons",
        "start_quiz_title": "Test yourself",
        "start_who": "For anyone with back spasms, people who care for them, and students. "
        "Each lesson takes about 10 minutes and ends with a short quiz. "
        "This course began from an older article about back spasms. Where that "
        'article\'s advice is out of date, a box called "What the evidence says" '
        "tells you what doctors advise today.",
        "start_open": "Open lesson {number}: {title}",
        "edu_intro": "See how your class is doing. Results refresh by themselves every few seconds.",
        "edu_off": "The educator page is turned off. Start the server with "
        "`spasm-edu serve --educator-passcode ...` to use it.",
        "edu_passcode": "Educator passcode",
        "edu_class_code": "Class code",
        "edu_lesson": "Lesson",
        "edu_all_lessons": "All lessons",
        "edu_open": "Show class results",
        "edu_wrong_passcode": "That passcode is not right.",
        "edu_wait": "Too many tries. Please wait a moment and try again.",
        "edu_need_code": "Enter the class code.",
        "edu_store_down": "The results cannot be read just now. Trying again soon.",
        "edu_class": "Class {code}",
        "edu_counts": "{joined} joined, {finished} finished.",
        "edu_names": "Nicknames:",
        "edu_no_names": "none yet",
        "edu_scores": "Scores (first tries)",
        "edu_myths": "Myths the class still believes",
        "edu_no_myths": "None seen yet.",
        "edu_questions": "Questions",
        "edu_col_lesson": "Lesson",
        "edu_col_question": "Question",
        "edu_col_answers": "Learners who answered",
        "edu_col_right": "Right first time",
        "edu_col_wrong": "Most common wrong answer",
        "edu_no_answers": "No answers yet.",
        "edu_export": "Download all answers of this class (CSV)",
        "join_title": "Join your class (optional)",
        "join_intro": "If your teacher gave you a class code, enter it here. A nickname is "
        "optional. Nothing else about you is asked or kept.",
        "join_code": "Class code",
        "join_nickname": "Nickname (optional)",
        "join_button": "Join class",
        "join_bad_code": "A class code has 1 to 32 letters, numbers or dashes.",
        "join_bad_nickname": "A nickname can be at most 40 characters.",
        "join_done": "You joined class {code} as {nickname}.",
        "join_done_anonymous": "You joined class {code}.",
        "join_keep": "Bookmark your private link to keep your answers:",
        "join_keep_label": "my start page",
        "join_store_down": "Joining does not work just now. You can still use every lesson.",
        "start_educators": "For educators: class results",
        "poll_title": "Live question from your teacher",
        "poll_sent": "Answer sent. Your teacher will show the answer soon.",
        "poll_closed": "Too late for this question: your teacher has moved on.",
        "present_passcode_needed": "Enter the educator passcode and class code to send questions "
        "to the class.",
        "present_unlock": "Start live questions",
        "present_screen": "Screen",
        "present_screen_of": "Screen {number} of {total}",
        "present_previous": "Previous",
        "present_next": "Next",
        "present_poll_question": "Question to send",
        "present_send": "Send to class",
        "present_reveal": "Reveal answer",
        "present_close": "Close question",
        "present_answers": "{count} answers so far",
        "present_chart": "Answers from the class",
        "present_intro_title": "In this lesson",
        # Presentation screens (presenter.py): the one-line warning on every screen names the
        # most urgent signs only; the full box is on the first and last screen.
        "present_help_line": "call {emergency} for numbness between the legs, new trouble "
        "peeing or pooing, or weak legs.",
        "present_fullscreen": "Full screen",
        "present_join_title": "Join the class",
        "present_join_locked": "To let students join and to send live questions, enter the "
        "educator passcode and a class code here.",
        "present_join_scan": "Scan the code, or open this address:",
        "present_join_code": "Class code: {code}",
        "present_join_then": "Then type a nickname if you like, and press Join class.",
        "present_join_qr": "QR code that opens {address}",
        "present_join_local": "This address only works on this computer. Open this page at the "
        "computer's network address, or start the server with --public-url.",
        "present_question_title": "Question for the class",
        "present_question_locked": "Live questions start once the class is unlocked on the "
        "Join screen (screen 2).",
        "present_end_title": "Before you go: when to get help",
        "present_continued": "continued",
        "join_prefilled": "Your class code {code} is filled in. Add a nickname if you like, "
        "then press Join class.",
        # ---- issue 19: how sure, review my mistakes, before and after, take-home summary ----
        "confidence_label": "How sure are you? (optional)",
        "confidence_guessing": "Guessing",
        "confidence_fairly_sure": "Fairly sure",
        "confidence_certain": "Certain",
        "confident_wrong": "You felt sure about this one, and many people think the same. "
        "That makes it worth a second look: the notes below say why.",
        "confident_wrong_safety": "You felt sure about this one, and many people think the "
        "same. Because it is about staying safe, it is worth a second look: the notes below "
        "say why.",
        "review_button": "Review my mistakes",
        "review_intro": "Try again the {count} questions you missed or guessed. The choices are "
        "in a new order. Your score stays the same: your first answers count.",
        "review_none": "Nothing to review: you got every question right and did not guess.",
        "edu_cw_title": "Sure, but wrong",
        "edu_cw_intro": "Answers learners were certain of and still got wrong, at their first "
        "try. Safety questions come first: these are the ones to talk about.",
        "edu_cw_none": "No learner was certain of a wrong answer.",
        "edu_cw_col_question": "Question",
        "edu_cw_col_safety": "Safety question:",
        "edu_cw_col_learners": "Learners certain and wrong",
        "edu_cw_col_of": "Of those who said how sure",
        "edu_cw_tags": "Beliefs behind certain, wrong answers",
        "check_before_title": "Before you start: a quick check",
        "check_after_title": "After the course: a quick check",
        "check_before_intro": "Answer {count} short questions before the lessons. This is not a "
        "test: it shows what you know now, so you can see what you learned at the end. It is "
        "optional. Saying how sure you are helps too.",
        "check_after_intro": "Answer {count} short questions on the same ideas as the check at "
        "the start. The questions are new ones, so you cannot just remember the answers.",
        "check_link_before": "Before you start: a quick check (optional)",
        "check_link_after": "After the course: the quick check again",
        "check_mine_title": "What you learned",
        "check_mine_before": "At the start: {score}% right.",
        "check_mine_after": "Now: {score}% right.",
        "check_mine_no_before": "You did not do the check at the start, so there is nothing to "
        "compare with. Your score now is shown above.",
        "check_mine_waiting": "Answer every question to see your result.",
        "check_mine_done_before": "Thank you. At the end of the course, the quick check comes "
        "again with new questions on the same ideas.",
        "check_mine_moved": "Ideas you now know: {ideas}.",
        "edu_ba_title": "Before and after",
        "edu_ba_intro": "The quick check at the start and at the end of the course. Gain is "
        "(after - before) / (100 - before): the share of what learners did not know at the "
        "start that they knew at the end. It is left out for a learner with 100% at the start.",
        "edu_ba_counts": "{both} did both checks. Counted apart: {before_only} did only the "
        "check at the start, {after_only} only the check at the end.",
        "edu_ba_full": "{count} had 100% at the start: no gain can be worked out for them.",
        "edu_ba_class": "Class average: {before}% before, {after}% after. Gain: {gain}.",
        "edu_ba_no_gain": "not defined",
        "edu_ba_none": "No learner has done both checks yet.",
        "edu_ba_col_idea": "Idea",
        "edu_ba_col_lesson": "Lesson",
        "edu_ba_col_before": "Right before",
        "edu_ba_col_after": "Right after",
        "edu_ba_col_moved": "Moved?",
        "edu_ba_up": "Moved up",
        "edu_ba_same": "Did not move",
        "edu_ba_down": "Went down",
        "summary_title": "My take-home summary",
        "nb_summary_intro": "What to remember from the course, the warning signs, and questions "
        "for your doctor, to print or keep.",
        "summary_for": "For {nickname}",
        "summary_intro": "What to remember from the course, the signs that need help, and "
        "questions to take to your doctor. Download it to print or keep.",
        "summary_link": "My take-home summary (to print or keep)",
        "summary_download": "Download my summary to print or keep",
        "summary_key_points": "What I learned",
        "summary_no_lessons": "Answer the quiz of a lesson to add its key points here.",
        "summary_check": "My quick check",
        "summary_plan": "My flare-up plan",
        "summary_plan_intro": "Fill this in while you feel well, and keep it where you can "
        "find it.",
        "summary_questions": "Questions to ask my doctor",
        # ---- issue 15: the gradebook (gradebook.py, widgets/_gradebook.py, spasm-edu results) --
        "gb_button": "Make a gradebook of this class",
        "gb_ready": "Gradebook of class {code}, as it was just now:",
        "gb_csv": "Gradebook (CSV)",
        "gb_xlsx": "Gradebook (Excel, .xlsx)",
        "gb_long": "Every answer, one row each (CSV)",
        "gb_needs_extra": "Excel files need openpyxl: install it with "
        "pip install 'spasm-edu[educator]'. The CSV files work without it.",
        "gb_number": "#",
        "gb_student": "Student",
        "gb_anonymous": "Student {number}",
        "gb_question": "{lesson}: {question}",
        "gb_lesson_score": "{lesson}: score (% right of answered)",
        "gb_overall": "Overall score (% right of answered)",
        "gb_answered": "Questions answered",
        "gb_right": "Right at first try",
        "gb_revealed": "(showed the answer)",
        "gb_sheet": "Gradebook",
        "gb_sheet_long": "Answers",
        # ---- issue 15: printed handouts, quiz sheets and answer keys (spasm_edu.handout) ----
        "handout_sources_cited": "Sources: {numbers}.",
        "handout_quiz_title": "Quiz: {title}",
        "handout_key_title": "Answer key: {title}",
        "handout_name": "Name",
        "handout_date": "Date",
        "handout_quiz_intro": "Read each question. Tick a box, or write in the empty box.",
        "handout_tick_one": "Tick one box.",
        "handout_tick_all": "Tick every box that applies.",
        "handout_match_hint": "Write the letter of the right group in the box next to each item.",
        "handout_groups": "Groups",
        "handout_right_order": "The right order:",
        "handout_key_intro": "For the teacher. Each answer says why, to talk about with the class.",
        "handout_key_right": "Right",
        "handout_key_wrong": "Wrong",
        "handout_why": "Why",
        "true": "True",
        "false": "False",
        "myth": "Myth",
        "fact": "Fact",
    },
}


# ---- other languages: content/translations/<lang>/strings.yaml, the same keys as STRINGS["en"]


@cache
def _table(language: str) -> dict[str, str]:
    """The strings of one language; {} for English or a language without a strings file."""
    if language == ENGLISH or language not in languages(CONTENT_DIR):
        return {}
    path = translation_dir(CONTENT_DIR, language) / "strings.yaml"
    try:
        # libyaml's safe loader: pure-Python PyYAML took 35-80 ms for this file, in every kernel
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506
    except (OSError, yaml.YAMLError):
        return {}  # `spasm-edu validate` reports the file; pages fall back to English
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def text(key: str, language: str = "en", **values: object) -> str:
    """The string `key` in `language` (English if missing), with `{name}` fields filled in."""
    template = _table(language).get(key, STRINGS["en"][key])
    return template.format(**values) if values else template


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def check_translations(content_dir: Path = CONTENT_DIR) -> list[Problem]:
    """Every language's strings.yaml against English: missing, unknown, and wrong {fields}."""
    problems: list[Problem] = []
    english = STRINGS["en"]
    for language in languages(content_dir)[1:]:
        path = translation_dir(content_dir, language) / "strings.yaml"
        shown = str(path.relative_to(content_dir.parent.parent.parent))
        if not path.is_file():
            problems.append(Problem(shown, 1, "(file)", f"missing: no '{language}' strings.yaml"))
            continue
        doc, found = read_yaml(path, shown)
        problems.extend(found)
        if doc is None or not isinstance(doc.data, dict):
            continue
        table = doc.data
        for key in english:
            if key not in table:
                problems.append(Problem(shown, 1, key, "missing: not translated yet"))
        for key, value in table.items():
            if key not in english:
                problems.append(doc.problem((key,), "unknown string (not in strings.py)"))
            elif not isinstance(value, str):
                problems.append(doc.problem((key,), "expected text"))
            elif _fields(value) != _fields(english[key]):
                want = ", ".join(sorted("{" + f + "}" for f in _fields(english[key]))) or "none"
                problems.append(doc.problem((key,), f"needs exactly these fields: {want}"))
    return problems
