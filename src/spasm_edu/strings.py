"""Every user-facing string of the app, in one place, by language (content text lives in YAML)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "course_name": "Back spasms: what helps and when to get help",
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
        "edu_col_answers": "Answers",
        "edu_col_right": "Right",
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
        "true": "True",
        "false": "False",
        "myth": "Myth",
        "fact": "Fact",
    },
}


def text(key: str, language: str = "en", **values: object) -> str:
    """The string `key` in `language` (English if missing), with `{name}` fields filled in."""
    table = STRINGS.get(language, STRINGS["en"])
    template = table.get(key, STRINGS["en"][key])
    return template.format(**values) if values else template
