#!/usr/bin/env python3
"""A compact Python model of transformers' slow CLIPTokenizer without ftfy (the `clip_basic` path), written to
fuzz core/ml/tokenizer.cpp: BERT BasicTokenizer clean-up (control chars, whitespace, CJK spacing, NFC,
str.lower), special tokens split out (`<|startoftext|>`, `<|endoftext|>`, the pad token `!`), the CLIP regex
(`regex` module, IGNORECASE), byte-level alphabet and CLIP's BPE loop. It agrees with all 34 reference cases.

  python3 scripts/clip_tokenizer_reference.py VOCAB_DIR gen SEED COUNT > inputs.jsonl   # random hard strings
  python3 scripts/clip_tokenizer_reference.py VOCAB_DIR ref < inputs.jsonl > tokens.jsonl
Each line is one JSON string in, one JSON list of tokens out; compare with a C++ driver printing
ClipTokenizer::tokens() per line.
"""
import json, sys, unicodedata, random
import regex as re

def is_ws(c):
    if c in " \t\n\r": return True
    return unicodedata.category(c) == "Zs"
def is_ctrl(c):
    if c in "\t\n\r": return False
    return unicodedata.category(c).startswith("C")
def is_cjk(cp):
    return ((0x4E00 <= cp <= 0x9FFF) or (0x3400 <= cp <= 0x4DBF) or (0x20000 <= cp <= 0x2A6DF) or (0x2A700 <= cp <= 0x2B73F)
            or (0x2B740 <= cp <= 0x2B81F) or (0x2B820 <= cp <= 0x2CEAF) or (0xF900 <= cp <= 0xFAFF) or (0x2F800 <= cp <= 0x2FA1F))
def basic(text):
    out = []
    for c in text:
        cp = ord(c)
        if cp == 0 or cp == 0xFFFD or is_ctrl(c): continue
        out.append(" " if is_ws(c) else c)
    text = "".join(out)
    out = []
    for c in text:
        if is_cjk(ord(c)): out += [" ", c, " "]
        else: out.append(c)
    text = unicodedata.normalize("NFC", "".join(out))
    toks = [t.lower() for t in text.strip().split()]
    return " ".join(" ".join(toks).strip().split())

def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b); cs.append(256 + n); n += 1
    return dict(zip(bs, [chr(x) for x in cs]))

folder = sys.argv[1]
enc = bytes_to_unicode()
merges = open(folder + "/merges.txt", encoding="utf-8").read().strip().split("\n")[1:49152 - 256 - 2 + 1]
ranks = {tuple(m.split()): i for i, m in enumerate(merges)}
cache = {"<|startoftext|>": "<|startoftext|>", "<|endoftext|>": "<|endoftext|>"}
pat = re.compile(r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""", re.IGNORECASE)

def get_pairs(word):
    return set(zip(word, word[1:]))
def bpe(token):
    if token in cache: return cache[token]
    word = tuple(token[:-1]) + (token[-1] + "</w>",)
    pairs = get_pairs(word)
    if not pairs: return token + "</w>"
    while True:
        bigram = min(pairs, key=lambda p: ranks.get(p, float("inf")))
        if bigram not in ranks: break
        first, second = bigram
        new = []; i = 0
        while i < len(word):
            try:
                j = word.index(first, i)
            except ValueError:
                new.extend(word[i:]); break
            new.extend(word[i:j]); i = j
            if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                new.append(first + second); i += 2
            else:
                new.append(word[i]); i += 1
        word = tuple(new)
        if len(word) == 1: break
        pairs = get_pairs(word)
    return " ".join(word)

specials = ["<|startoftext|>", "<|endoftext|>", "!"]
def tokenize(text):
    # split on specials (left to right)
    chunks = []; i = 0; start = 0
    while i < len(text):
        hit = next((s for s in specials if text.startswith(s, i)), None)
        if hit:
            if i > start: chunks.append((False, text[start:i]))
            chunks.append((True, hit)); i += len(hit); start = i
        else:
            i += 1
    if start < len(text): chunks.append((False, text[start:]))
    out = []
    for sp, ch in chunks:
        if sp: out.append(ch); continue
        t = basic(ch)
        for tok in re.findall(pat, t):
            tok = "".join(enc[b] for b in tok.encode("utf-8"))
            out.extend(bpe(tok).split(" "))
    return out

mode = sys.argv[2]
if mode == "gen":
    random.seed(int(sys.argv[3]))
    assigned14 = lambda c: unicodedata.category(c) != "Cn"
    pools = [
        [chr(c) for c in range(0x20, 0x7F)] * 3,
        [chr(c) for c in range(0xA0, 0x250)],
        [chr(c) for c in range(0x300, 0x370)],            # combining marks
        [chr(c) for c in range(0x370, 0x400)] + ["\u03a3"] * 20,  # Greek incl. sigma
        [chr(c) for c in range(0x1100, 0x1200)] + [chr(c) for c in range(0xAC00, 0xAC40)],  # jamo, syllables
        [chr(c) for c in range(0x4E00, 0x4E40)] + [chr(c) for c in range(0xF900, 0xF940)],
        [chr(c) for c in range(0x1F600, 0x1F650)],
        [chr(c) for c in range(0x0, 0x20)] + ["\x7f", "\x85", "\u200b", "\u2028", "\u2029", "\u00a0", "\u3000", "\ufeff", "\ufffd"],
        ["\u017f", "\u0130", "\u01c5", "\u212a", "\u212b", "\u2126", "\u0345", "\u1e9e", "'", "'", "'s", "'LL", "<|startoftext|>", "<|ENDOFTEXT|>", "!"],
        [chr(c) for c in range(0x900, 0x980)] + [chr(c) for c in range(0x600, 0x680)],
        [chr(c) for c in range(0x2160, 0x2190)] + [chr(c) for c in range(0xFF00, 0xFF60)] + [chr(c) for c in range(0xFB00, 0xFB10)],
        [chr(c) for c in range(0x10400, 0x10450)] + [chr(c) for c in range(0x1D400, 0x1D440)],
        [chr(c) for c in range(0x1E900, 0x1E950)] + [chr(c) for c in range(0x13A0, 0x13F8)] + [chr(c) for c in range(0xAB70, 0xABC0)],
    ]
    for _ in range(int(sys.argv[4])):
        n = random.randint(0, 25)
        s = "".join(random.choice(random.choice(pools)) for _ in range(n))
        s = "".join(c for c in s if assigned14(c) and not (0xD800 <= ord(c) <= 0xDFFF))
        print(json.dumps(s))
else:
    for line in sys.stdin:
        print(json.dumps(tokenize(json.loads(line))))
