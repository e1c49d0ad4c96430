"""The quiz rule the TUI and `aisec quiz` share: a second try, then the answer."""

from __future__ import annotations

from tutor.course.lessons import Quiz
from tutor.learner.quiz import QuizRound, keys_hint, parse_choice
from tutor.learner.state import QuizAnswer

QUIZ = Quiz(id="q", question="?", choices=("x", "y", "z."), answer=2, explanation="Because.")


def test_a_wrong_try_gets_a_second_before_the_answer_is_revealed():
    round_ = QuizRound(QUIZ)
    first = round_.answer(0)
    assert (first.correct, first.revealed, first.settled) == (False, False, False)
    second = round_.answer(1)
    assert (second.correct, second.revealed) == (False, True)
    assert round_.answer_sentence == "The answer is c) z."


def test_a_right_try_settles_and_show_answer_settles_without_a_try():
    assert QuizRound(QUIZ).answer(2).settled
    round_ = QuizRound(QUIZ)
    round_.reveal()
    assert round_.settled and round_.wrong_tries == 0


def test_resuming_shows_where_the_learner_left_off():
    assert QuizRound.resume(QUIZ, None)[1] is None
    one_wrong = QuizRound.resume(QUIZ, QuizAnswer(attempts=1, choice=0, correct=False))[1]
    assert one_wrong is not None and not one_wrong.revealed
    two_wrong = QuizRound.resume(QUIZ, QuizAnswer(attempts=2, choice=1, correct=False))[1]
    assert two_wrong is not None and two_wrong.revealed
    stale = QuizRound.resume(QUIZ, QuizAnswer(attempts=1, choice=7, correct=False))
    assert stale[1] is None, "an answer to an option that no longer exists is ignored"


def test_answers_are_letters_or_numbers_from_one():
    assert [parse_choice(t, QUIZ) for t in ("a", "B", "c)", "3", " 1 ", "d", "0", "4", "", "ab")] \
        == [0, 1, 2, 2, 0, None, None, None, None, None]
    assert keys_hint(QUIZ) == "a–c or 1–3"
