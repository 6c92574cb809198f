#!/usr/bin/env python3
"""Generates core/ml/unicode_tables.inc: the Unicode data the CLIP tokenizer needs, so core needs no ICU.

The reference tokenizer (transformers' slow CLIPTokenizer without ftfy, i.e. BERT's BasicTokenizer clean-up
followed by the CLIP regex) runs on CPython's `unicodedata` and `str.lower()`. The tables are therefore taken
from CPython itself, not from the UCD text files, so that they reproduce exactly what Python does:

* per code point flags: general category C* (dropped as control), Zs (becomes a space), L* (regex \\p{L}),
  N* (regex \\p{N}), `str.isspace()` (what `str.split()` splits on), and the two properties CPython's
  Final_Sigma rule in `str.lower()` consults (Cased, Case_Ignorable), the latter read off `str.lower()`'s own
  behaviour around U+03A3 so they match CPython's implementation by construction;
* `str.lower()` per code point (full mapping: U+0130 lowercases to two code points);
* which characters the case-insensitive CLIP regex matches with none of its alternatives: with IGNORECASE the
  `regex` module treats a character as in \\p{L} / \\p{N} when a case variant is, so a non-letter whose case
  variant is a letter (U+0345 COMBINING GREEK YPOGEGRAMMENI, whose upper case is U+0399) fails both
  `[\\p{L}]+` and `[^\\s\\p{L}\\p{N}]+` and is skipped by findall. Derived from str.lower/upper/casefold/title
  and, when the `regex` module is importable, checked against it;
* canonical decompositions, canonical combining classes and the primary composites NFC recomposes
  (a pair (a, b) is listed iff `unicodedata.normalize("NFC", a + b)` yields the composite, which leaves out
  composition exclusions, singletons and non-starter decompositions); Hangul is algorithmic in the C++ code.

Usage: python3 scripts/gen_unicode_tables.py [OUTPUT]   (default: core/ml/unicode_tables.inc next to this
script's repository root). The reference vectors were produced with Python 3.11.2 whose unicodedata is
Unicode 14.0.0; the script refuses another Unicode version unless --allow-version-mismatch is given, since the
tables must describe the same Unicode the reference used.
"""
import os
import sys
import unicodedata

REFERENCE_UNICODE_VERSION = "14.0.0"

F_CONTROL = 1  # category C* (Cc, Cf, Cs, Co, Cn): BasicTokenizer._clean_text drops it
F_ZS = 2  # category Zs: _clean_text turns it into " "
F_LETTER = 4  # category L*: regex \p{L}
F_NUMBER = 8  # category N*: regex \p{N}
F_PYSPACE = 16  # str.isspace(): str.split() separates on it
F_CASED = 32  # Cased, as CPython's Final_Sigma test sees it (only meaningful when not case-ignorable)
F_CASE_IGNORABLE = 64  # Case_Ignorable, as CPython's Final_Sigma test sees it
F_REGEX_UNMATCHED = 128  # matched by no alternative of the case-insensitive CLIP regex (see below)

MAX_CP = 0x110000


def is_surrogate(cp):
    return 0xD800 <= cp <= 0xDFFF


def flags_of(cp):
    c = chr(cp)
    cat = unicodedata.category(c)
    f = 0
    if cat.startswith("C"):
        f |= F_CONTROL
    if cat == "Zs":
        f |= F_ZS
    if cat.startswith("L"):
        f |= F_LETTER
    if cat.startswith("N"):
        f |= F_NUMBER
    if c.isspace():
        f |= F_PYSPACE
    if not is_surrogate(cp):
        # CPython: sigma is final iff preceded (skipping case-ignorables) by a cased char and not followed
        # (skipping case-ignorables) by a cased char. Read both properties off that behaviour.
        # "A" c "Σ": final iff c ignorable or c cased.  "AΣ" c: final iff c ignorable or c not cased.
        t1 = ("A" + c + "\u03a3").lower()[-1] == "\u03c2"
        t3 = ("A\u03a3" + c).lower()[1] == "\u03c2"
        ignorable = t1 and t3
        if ignorable:
            f |= F_CASE_IGNORABLE
        else:
            # " " c "Σ": space is neither cased nor ignorable, so final iff c is cased.
            if (" " + c + "\u03a3").lower()[-1] == "\u03c2":
                f |= F_CASED
        if not (f & (F_LETTER | F_NUMBER)) and not c.isspace() and not cat == "Cn":
            for variant in (c.lower(), c.upper(), c.casefold(), c.title()):
                if len(variant) == 1 and unicodedata.category(variant)[0] in "LN":
                    f |= F_REGEX_UNMATCHED
                    break
    return f


def check_against_regex_module(flags):
    """Cross-checks the regex classes against the `regex` module (if installed) for assigned characters."""
    try:
        import regex
    except ImportError:
        return "regex module not installed: not cross-checked"
    ci = regex.IGNORECASE
    letter, number = regex.compile(r"[\p{L}]", ci), regex.compile(r"[\p{N}]", ci)
    other = regex.compile(r"[^\s\p{L}\p{N}]", ci)
    for cp in range(MAX_CP):
        if is_surrogate(cp) or unicodedata.category(chr(cp)) == "Cn":
            continue
        c, f = chr(cp), flags[cp]
        want = (bool(f & F_LETTER), bool(f & F_NUMBER),
                not (f & (F_LETTER | F_NUMBER | F_REGEX_UNMATCHED)) and not regex.match(r"\s", c))
        got = (bool(letter.match(c)), bool(number.match(c)), bool(other.match(c)))
        if want != got:
            sys.exit(f"gen_unicode_tables.py: U+{cp:04X} classes {want} disagree with regex {regex.__version__}: {got}")
    return f"cross-checked against regex {regex.__version__}"


def ranges(values):
    """Run-length encodes a list indexed by code point into (first, last, value) with value != 0."""
    out = []
    start = 0
    for cp in range(1, MAX_CP + 1):
        if cp == MAX_CP or values[cp] != values[start]:
            if values[start]:
                out.append((start, cp - 1, values[start]))
            start = cp
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    allow_mismatch = "--allow-version-mismatch" in sys.argv
    if unicodedata.unidata_version != REFERENCE_UNICODE_VERSION and not allow_mismatch:
        sys.exit(
            f"gen_unicode_tables.py: this Python has Unicode {unicodedata.unidata_version}, the reference "
            f"vectors used {REFERENCE_UNICODE_VERSION} (Python 3.11). Run it with Python 3.11 or pass "
            "--allow-version-mismatch."
        )
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out_path = args[0] if args else os.path.join(root, "core", "ml", "unicode_tables.inc")

    flags = [flags_of(cp) for cp in range(MAX_CP)]
    flag_ranges = ranges(flags)
    regex_check = check_against_regex_module(flags)

    lower_single = []
    lower_multi = []
    for cp in range(MAX_CP):
        if is_surrogate(cp):
            continue
        low = chr(cp).lower()
        if low == chr(cp):
            continue
        if len(low) == 1:
            lower_single.append((cp, ord(low)))
        else:
            lower_multi.append((cp, [ord(x) for x in low]))
    assert all(len(m) <= 3 for _, m in lower_multi)

    ccc = [unicodedata.combining(chr(cp)) if not is_surrogate(cp) else 0 for cp in range(MAX_CP)]
    ccc_ranges = ranges(ccc)

    decomp = []
    compose = []
    for cp in range(MAX_CP):
        if is_surrogate(cp):
            continue
        d = unicodedata.decomposition(chr(cp))
        if not d or d.startswith("<"):
            continue
        parts = [int(x, 16) for x in d.split()]
        assert 1 <= len(parts) <= 2, (hex(cp), d)
        decomp.append((cp, parts[0], parts[1] if len(parts) == 2 else 0))
        if len(parts) == 2 and unicodedata.normalize("NFC", chr(parts[0]) + chr(parts[1])) == chr(cp):
            compose.append((parts[0], parts[1], cp))
    compose.sort()

    import platform

    lines = []
    w = lines.append
    w("// Generated by scripts/gen_unicode_tables.py -- do not edit by hand.")
    w(f"// Source: CPython {platform.python_version()} unicodedata, Unicode {unicodedata.unidata_version}"
      f" (reference vectors: Python 3.11.2, Unicode {REFERENCE_UNICODE_VERSION}).")
    w(f"// CLIP regex classes: {regex_check}.")
    w("// Included by tokenizer.cpp only (inside namespace mb::ml::unicode_data).")
    w(f'constexpr const char* kUnicodeVersion = "{unicodedata.unidata_version}";')
    w(f"constexpr unsigned kFlagControl = {F_CONTROL}, kFlagZs = {F_ZS}, kFlagLetter = {F_LETTER}, "
      f"kFlagNumber = {F_NUMBER},")
    w(f"                   kFlagPySpace = {F_PYSPACE}, kFlagCased = {F_CASED}, "
      f"kFlagCaseIgnorable = {F_CASE_IGNORABLE},")
    w(f"                   kFlagRegexUnmatched = {F_REGEX_UNMATCHED};")
    w("struct FlagRange { char32_t first, last; unsigned char flags; };")
    w("struct CccRange { char32_t first, last; unsigned char ccc; };")
    w("struct LowerSingle { char32_t cp, lower; };")
    w("struct LowerMulti { char32_t cp; unsigned char count; char32_t out[3]; };")
    w("struct Decomposition { char32_t cp, first, second; }; // second == 0: singleton")
    w("struct Composition { char32_t first, second, composite; };")

    def emit(name, typ, rows, fmt, per_line=4):
        w(f"constexpr {typ} {name}[] = {{")
        for i in range(0, len(rows), per_line):
            w("    " + " ".join(fmt(r) + "," for r in rows[i : i + per_line]))
        w("};")

    emit("kFlagRanges", "FlagRange", flag_ranges, lambda r: f"{{0x{r[0]:X}, 0x{r[1]:X}, {r[2]}}}")
    emit("kCccRanges", "CccRange", ccc_ranges, lambda r: f"{{0x{r[0]:X}, 0x{r[1]:X}, {r[2]}}}")
    emit("kLowerSingle", "LowerSingle", lower_single, lambda r: f"{{0x{r[0]:X}, 0x{r[1]:X}}}", 6)
    emit(
        "kLowerMulti",
        "LowerMulti",
        lower_multi,
        lambda r: "{0x%X, %d, {%s}}" % (r[0], len(r[1]), ", ".join("0x%X" % x for x in r[1] + [0] * (3 - len(r[1])))),
        2,
    )
    emit("kDecompositions", "Decomposition", decomp, lambda r: f"{{0x{r[0]:X}, 0x{r[1]:X}, 0x{r[2]:X}}}", 4)
    emit("kCompositions", "Composition", compose, lambda r: f"{{0x{r[0]:X}, 0x{r[1]:X}, 0x{r[2]:X}}}", 4)

    with open(out_path, "w", encoding="ascii") as fh:
        fh.write("\n".join(lines) + "\n")
    print(
        f"wrote {out_path}: {len(flag_ranges)} flag ranges, {len(ccc_ranges)} ccc ranges, "
        f"{len(lower_single)}+{len(lower_multi)} lowercase, {len(decomp)} decompositions, "
        f"{len(compose)} compositions (Unicode {unicodedata.unidata_version})"
    )


if __name__ == "__main__":
    main()
