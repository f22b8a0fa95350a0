"""Prompts for the miniature text-to-image model: a small bilingual vocabulary, and the
condition vector the denoiser reads.

A prompt names at most one digit and at most one word per style ("굵은 7", "a slanted 1",
"thin upright 4"). The denoiser does not read text: the prompt becomes a vector of three
one-hot blocks, one per attribute, each with an extra slot that means "not said":

    [ digit 0–9 | none ]  [ thin | regular | thick | none ]  [ upright | slanted | other | none ]
       11 values               4 values                           4 values        = 19 values

The empty prompt is all "none": the unconditional model that classifier-free guidance
needs. The browser playground parses prompts with the same vocabulary, which the export
writes into its JSON (generator/figures/conditional_playground.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from generator.data.mnist_style import SLANT, THICKNESS

BLOCKS = (("digit", 10), ("thickness", len(THICKNESS)), ("slant", len(SLANT)))
WIDTH = sum(size + 1 for _, size in BLOCKS)  # 19: every block has one more slot, "none"

# word -> (attribute, class). Korean style words also in their joining form ("굵고 기울어진 7").
VOCABULARY = {
    "ko": {"가는": ("thickness", 0), "얇은": ("thickness", 0), "가늘게": ("thickness", 0),
           "얇게": ("thickness", 0), "가늘고": ("thickness", 0), "얇고": ("thickness", 0),
           "보통": ("thickness", 1),
           "굵은": ("thickness", 2), "두꺼운": ("thickness", 2), "굵게": ("thickness", 2),
           "굵고": ("thickness", 2), "두껍고": ("thickness", 2),
           "똑바른": ("slant", 0), "곧은": ("slant", 0), "반듯한": ("slant", 0), "똑바로": ("slant", 0),
           "똑바르고": ("slant", 0), "반듯하고": ("slant", 0),
           "기울어진": ("slant", 1), "기운": ("slant", 1), "비스듬한": ("slant", 1),
           "기울여": ("slant", 1), "비스듬히": ("slant", 1), "기울어지고": ("slant", 1),
           "비스듬하고": ("slant", 1), "기타": ("slant", 2)},
    "en": {"thin": ("thickness", 0), "regular": ("thickness", 1), "thick": ("thickness", 2),
           "bold": ("thickness", 2), "upright": ("slant", 0), "straight": ("slant", 0),
           "slanted": ("slant", 1), "italic": ("slant", 1), "leaning": ("slant", 1), "other": ("slant", 2)},
}
# words that carry no meaning here and are skipped (the attribute names too: the playground writes
# a condition back as "보통 굵기" / "regular thickness", and that must read again)
FILLERS = {"ko": {"숫자", "글씨", "손글씨", "그려", "그려줘", "줘", "주세요", "만들어", "만들어줘", "써", "써줘",
                  "을", "를", "은", "는", "가", "의", "로", "으로", "굵기", "두께", "기울기"},
           "en": {"a", "an", "the", "digit", "number", "draw", "make", "write", "show", "me", "please", "of",
                  "and", "thickness", "slant"}}
# digits in words: English; Korean Sino-Korean (영/공, 일 … 구) and native (하나 … 아홉) numerals
DIGIT_WORDS = {"en": {w: d for d, w in enumerate(
                   ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"))},
               "ko": {"영": 0, "공": 0,
                      **{w: d for d, w in enumerate(("일", "이", "삼", "사", "오", "육", "칠", "팔", "구"), start=1)},
                      **{w: d for d, w in enumerate(
                          ("하나", "둘", "셋", "넷", "다섯", "여섯", "일곱", "여덟", "아홉"), start=1)}}}
PARTICLES = {"ko": ("으로", "로", "을", "를", "은", "는", "이", "가", "의", "도"), "en": ()}
TOKEN = re.compile(r"\d+|[^\s\d,.!?]+")  # a number, or a run of other characters


class PromptError(ValueError):
    """A prompt the model cannot read; the message says what it does know."""


@dataclass(frozen=True)
class Condition:
    digit: int | None = None
    thickness: int | None = None
    slant: int | None = None

    def vector(self) -> np.ndarray:
        """(19,) float32: three one-hot blocks, the last slot of a block meaning "none"."""
        values = [[-1 if v is None else v] for v in (self.digit, self.thickness, self.slant)]
        return conditions_matrix(*values)[0]


UNCONDITIONAL = Condition()


ATTRIBUTE_NAMES = {"ko": {"digit": "숫자", "thickness": "굵기", "slant": "기울기"},
                   "en": {"digit": "digit", "thickness": "thickness", "slant": "slant"}}


def known_words(lang: str) -> str:
    """The vocabulary grouped by attribute, synonyms in brackets: "thickness: thin, …"."""
    groups = [f"{ATTRIBUTE_NAMES[lang]['digit']}: 0–9"
              + (", " + ", ".join(DIGIT_WORDS[lang]) if DIGIT_WORDS[lang] else "")]
    for attribute in ("thickness", "slant"):
        classes: dict[int, list[str]] = {}
        for word, (name, value) in VOCABULARY[lang].items():
            if name == attribute:
                classes.setdefault(value, []).append(word)
        words = [w[0] + (f" ({', '.join(w[1:])})" if len(w) > 1 else "") for _, w in sorted(classes.items())]
        groups.append(f"{ATTRIBUTE_NAMES[lang][attribute]}: " + ", ".join(words))
    return "; ".join(groups)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: the fewest insertions, deletions and substitutions from a to b."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        # d[i][j] = min(d[i−1][j] + 1, d[i][j−1] + 1, d[i−1][j−1] + (a_i ≠ b_j)), one row at a time
        previous, row[0] = row[0], i
        for j, y in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def nearest_word(token: str, lang: str) -> str | None:
    """The known word a typo most likely meant: the closest by edit distance (ties: the first in
    sorted order), if it is at most half its own length away."""
    words = sorted(set(VOCABULARY[lang]) | set(DIGIT_WORDS[lang]))
    best = min(words, key=lambda word: (edit_distance(token, word), word))
    return best if edit_distance(token, best) <= max(1, len(best) // 2) else None


def meaning_of(token: str, lang: str) -> tuple[str, int] | None:
    """A token's (attribute, value), also with a Korean particle attached ("일곱을")."""
    for candidate in [token] + [token[: -len(p)] for p in PARTICLES[lang] if token.endswith(p) and len(token) > len(p)]:
        if candidate.isdigit():
            return "digit", int(candidate)
        if candidate in DIGIT_WORDS[lang]:
            return "digit", DIGIT_WORDS[lang][candidate]
        if candidate in VOCABULARY[lang]:
            return VOCABULARY[lang][candidate]
    return None


# mirrored in JS: docs/assets/javascripts/prompt-model.js parse() — tests/widgets/test_prompt_playground.py compares them
def parse_prompt(text: str, lang: str) -> Condition:
    """"굵은 7" / "a thick 7" -> Condition(digit=7, thickness=2). Raises PromptError."""
    if lang not in VOCABULARY:
        raise PromptError(f"unknown language '{lang}': use one of {sorted(VOCABULARY)}")
    found: dict[str, int] = {}
    for token in TOKEN.findall(text.strip().lower()):
        if token in FILLERS[lang]:
            continue
        if token.isdigit() and len(token) > 1:
            raise PromptError(f"'{token}' is more than one digit: the model draws one digit, 0–9")
        meaning = meaning_of(token, lang)
        if meaning is None:
            guess = nearest_word(token, lang)
            raise PromptError(f"unknown word '{token}'" + (f" (did you mean '{guess}'?)" if guess else "")
                              + f": the model knows {known_words(lang)}")
        attribute, value = meaning
        if attribute in found and found[attribute] != value:
            raise PromptError(f"two different {attribute} words: keep one")
        found[attribute] = value
    return Condition(found.get("digit"), found.get("thickness"), found.get("slant"))


def conditions_matrix(digits: np.ndarray, thickness: np.ndarray, slant: np.ndarray) -> np.ndarray:
    """(n,) class indices per attribute, −1 meaning "not said" -> (n, 19) condition vectors."""
    rows = np.zeros((len(digits), WIDTH), dtype=np.float32)
    offset = 0
    for (_, size), values in zip(BLOCKS, (digits, thickness, slant)):
        slots = np.where(np.asarray(values) < 0, size, values)  # (n,) the slot to switch on
        rows[np.arange(len(digits)), offset + slots] = 1.0
        offset += size + 1
    return rows
