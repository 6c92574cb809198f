#include "ml/tokenizer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <queue>
#include <sstream>
#include <stdexcept>

namespace mb::ml {

namespace unicode_data {
#include "ml/unicode_tables.inc"
} // namespace unicode_data

namespace {

namespace ud = unicode_data;

// ---------------------------------------------------------------------------------------------------------
// UTF-8
// ---------------------------------------------------------------------------------------------------------

/** Strict UTF-8 → code points (rejects overlong forms, surrogates, > U+10FFFF, truncated sequences). */
std::u32string decodeUtf8(const std::string& s) {
    std::u32string out;
    out.reserve(s.size());
    size_t i = 0;
    const size_t n = s.size();
    auto fail = [&](size_t at, const char* why) {
        std::ostringstream msg;
        msg << "CLIP tokenizer: text is not valid UTF-8 (" << why << " at byte " << at << ")";
        throw std::runtime_error(msg.str());
    };
    while (i < n) {
        const auto b0 = static_cast<unsigned char>(s[i]);
        if (b0 < 0x80) {
            out.push_back(b0);
            ++i;
            continue;
        }
        int len = 0;
        char32_t cp = 0;
        char32_t minimum = 0;
        if ((b0 & 0xE0) == 0xC0) {
            len = 2, cp = b0 & 0x1F, minimum = 0x80;
        } else if ((b0 & 0xF0) == 0xE0) {
            len = 3, cp = b0 & 0x0F, minimum = 0x800;
        } else if ((b0 & 0xF8) == 0xF0) {
            len = 4, cp = b0 & 0x07, minimum = 0x10000;
        } else {
            fail(i, "invalid lead byte");
        }
        if (i + static_cast<size_t>(len) > n)
            fail(i, "truncated sequence");
        for (int k = 1; k < len; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if ((b & 0xC0) != 0x80)
                fail(i + k, "invalid continuation byte");
            cp = (cp << 6) | (b & 0x3F);
        }
        if (cp < minimum)
            fail(i, "overlong encoding");
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            fail(i, "code point outside Unicode scalar values");
        out.push_back(cp);
        i += static_cast<size_t>(len);
    }
    return out;
}

void appendUtf8(char32_t cp, std::string& out) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// ---------------------------------------------------------------------------------------------------------
// Unicode properties (generated tables)
// ---------------------------------------------------------------------------------------------------------

unsigned flagsOf(char32_t cp) {
    const auto* begin = std::begin(ud::kFlagRanges);
    const auto* end = std::end(ud::kFlagRanges);
    const auto* it =
        std::upper_bound(begin, end, cp, [](char32_t c, const ud::FlagRange& r) { return c < r.first; });
    if (it == begin)
        return 0;
    --it;
    return cp <= it->last ? it->flags : 0;
}

bool hasFlag(char32_t cp, unsigned flag) {
    return (flagsOf(cp) & flag) != 0;
}

unsigned cccOf(char32_t cp) {
    if (cp < 0x300)
        return 0;
    const auto* begin = std::begin(ud::kCccRanges);
    const auto* end = std::end(ud::kCccRanges);
    const auto* it =
        std::upper_bound(begin, end, cp, [](char32_t c, const ud::CccRange& r) { return c < r.first; });
    if (it == begin)
        return 0;
    --it;
    return cp <= it->last ? it->ccc : 0;
}

/** BERT's _is_chinese_char: the CJK Unified Ideographs blocks (not Japanese kana or Hangul). */
bool isCjkIdeograph(char32_t cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
           (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

// ---------------------------------------------------------------------------------------------------------
// NFC (canonical decomposition, canonical ordering, canonical composition; Hangul algorithmic)
// ---------------------------------------------------------------------------------------------------------

constexpr char32_t kHangulSBase = 0xAC00, kHangulLBase = 0x1100, kHangulVBase = 0x1161, kHangulTBase = 0x11A7;
constexpr char32_t kHangulLCount = 19, kHangulVCount = 21, kHangulTCount = 28;
constexpr char32_t kHangulNCount = kHangulVCount * kHangulTCount,
                   kHangulSCount = kHangulLCount * kHangulNCount;

void decomposeCanonical(char32_t cp, std::u32string& out) {
    if (cp >= kHangulSBase && cp < kHangulSBase + kHangulSCount) {
        const char32_t s = cp - kHangulSBase;
        out.push_back(kHangulLBase + s / kHangulNCount);
        out.push_back(kHangulVBase + (s % kHangulNCount) / kHangulTCount);
        if (s % kHangulTCount != 0)
            out.push_back(kHangulTBase + s % kHangulTCount);
        return;
    }
    const auto* begin = std::begin(ud::kDecompositions);
    const auto* end = std::end(ud::kDecompositions);
    const auto* it =
        std::lower_bound(begin, end, cp, [](const ud::Decomposition& d, char32_t c) { return d.cp < c; });
    if (it == end || it->cp != cp) {
        out.push_back(cp);
        return;
    }
    decomposeCanonical(it->first, out);
    if (it->second != 0)
        decomposeCanonical(it->second, out);
}

/** The primary composite of (a, b), or 0 when there is none. */
char32_t composePair(char32_t a, char32_t b) {
    if (a >= kHangulLBase && a < kHangulLBase + kHangulLCount && b >= kHangulVBase &&
        b < kHangulVBase + kHangulVCount)
        return kHangulSBase + ((a - kHangulLBase) * kHangulVCount + (b - kHangulVBase)) * kHangulTCount;
    if (a >= kHangulSBase && a < kHangulSBase + kHangulSCount && (a - kHangulSBase) % kHangulTCount == 0 &&
        b > kHangulTBase && b < kHangulTBase + kHangulTCount)
        return a + (b - kHangulTBase);
    const auto* begin = std::begin(ud::kCompositions);
    const auto* end = std::end(ud::kCompositions);
    const auto* it =
        std::lower_bound(begin, end, std::make_pair(a, b), [](const ud::Composition& c, auto key) {
            return c.first < key.first || (c.first == key.first && c.second < key.second);
        });
    if (it != end && it->first == a && it->second == b)
        return it->composite;
    return 0;
}

std::u32string toNfc(const std::u32string& text) {
    // Below U+0300 every character is NFC and nothing composes with a following character of that range.
    if (std::all_of(text.begin(), text.end(), [](char32_t c) { return c < 0x300; }))
        return text;
    std::u32string d;
    d.reserve(text.size() + 8);
    for (char32_t c : text)
        decomposeCanonical(c, d);
    // Canonical ordering: stable sort of each run of non-starters by combining class.
    for (size_t i = 0; i < d.size();) {
        if (cccOf(d[i]) == 0) {
            ++i;
            continue;
        }
        size_t j = i;
        while (j < d.size() && cccOf(d[j]) != 0)
            ++j;
        std::stable_sort(d.begin() + static_cast<std::ptrdiff_t>(i),
                         d.begin() + static_cast<std::ptrdiff_t>(j),
                         [](char32_t a, char32_t b) { return cccOf(a) < cccOf(b); });
        i = j;
    }
    if (d.empty())
        return d;
    // Canonical composition (UAX #15): a character combines with the last starter unless blocked.
    size_t starterPos = 0;
    char32_t starter = d[0];
    unsigned lastClass = cccOf(starter) == 0 ? 0 : 256; // a leading non-starter never starts a composition
    size_t outPos = 1;
    for (size_t i = 1; i < d.size(); ++i) {
        const char32_t ch = d[i];
        const unsigned cls = cccOf(ch);
        const char32_t composite = lastClass == 256 ? 0 : composePair(starter, ch);
        if (composite != 0 && (lastClass < cls || lastClass == 0)) {
            d[starterPos] = composite;
            starter = composite;
            continue;
        }
        if (cls == 0) {
            starterPos = outPos;
            starter = ch;
        }
        lastClass = cls;
        d[outPos++] = ch;
    }
    d.resize(outPos);
    return d;
}

// ---------------------------------------------------------------------------------------------------------
// Lowercasing exactly like CPython's str.lower() (full mappings, Final_Sigma)
// ---------------------------------------------------------------------------------------------------------

void lowerInto(const std::u32string& s, std::u32string& out) {
    for (size_t i = 0; i < s.size(); ++i) {
        const char32_t c = s[i];
        if (c < 0x80) {
            out.push_back(c >= 'A' && c <= 'Z' ? c + 32 : c);
            continue;
        }
        if (c == 0x3A3) {
            // Final_Sigma: \p{cased}\p{case-ignorable}* Σ !(\p{case-ignorable}* \p{cased})
            std::ptrdiff_t j = static_cast<std::ptrdiff_t>(i) - 1;
            while (j >= 0 && hasFlag(s[static_cast<size_t>(j)], ud::kFlagCaseIgnorable))
                --j;
            bool finalSigma = j >= 0 && hasFlag(s[static_cast<size_t>(j)], ud::kFlagCased);
            if (finalSigma) {
                size_t k = i + 1;
                while (k < s.size() && hasFlag(s[k], ud::kFlagCaseIgnorable))
                    ++k;
                finalSigma = k == s.size() || !hasFlag(s[k], ud::kFlagCased);
            }
            out.push_back(finalSigma ? 0x3C2 : 0x3C3);
            continue;
        }
        bool done = false;
        for (const auto& m : ud::kLowerMulti) {
            if (m.cp == c) {
                out.append(m.out, m.count);
                done = true;
                break;
            }
        }
        if (done)
            continue;
        const auto* begin = std::begin(ud::kLowerSingle);
        const auto* end = std::end(ud::kLowerSingle);
        const auto* it =
            std::lower_bound(begin, end, c, [](const ud::LowerSingle& l, char32_t x) { return l.cp < x; });
        out.push_back(it != end && it->cp == c ? it->lower : c);
    }
}

// ---------------------------------------------------------------------------------------------------------
// BERT BasicTokenizer(strip_accents=False, do_split_on_punc=False), lower-casing on, as CLIPTokenizer uses it
// ---------------------------------------------------------------------------------------------------------

bool isPySpace(char32_t c) {
    return hasFlag(c, ud::kFlagPySpace);
}

/** Splits on Python whitespace (str.split()). */
std::vector<std::u32string> splitPyWhitespace(const std::u32string& s) {
    std::vector<std::u32string> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && isPySpace(s[i]))
            ++i;
        size_t j = i;
        while (j < s.size() && !isPySpace(s[j]))
            ++j;
        if (j > i)
            out.emplace_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

std::u32string basicClean(const std::u32string& text) {
    // _clean_text: drop NUL, U+FFFD and category C (except \t \n \r); whitespace → " ".
    std::u32string cleaned;
    cleaned.reserve(text.size());
    for (char32_t c : text) {
        const bool tabOrNewline = c == '\t' || c == '\n' || c == '\r';
        const unsigned f = flagsOf(c);
        if (c == 0 || c == 0xFFFD || (!tabOrNewline && (f & ud::kFlagControl)))
            continue;
        if (c == ' ' || tabOrNewline || (f & ud::kFlagZs))
            cleaned.push_back(' ');
        else
            cleaned.push_back(c);
    }
    // _tokenize_chinese_chars: spaces around CJK ideographs.
    std::u32string spaced;
    spaced.reserve(cleaned.size());
    for (char32_t c : cleaned) {
        if (isCjkIdeograph(c)) {
            spaced.push_back(' ');
            spaced.push_back(c);
            spaced.push_back(' ');
        } else {
            spaced.push_back(c);
        }
    }
    const std::u32string normalized = toNfc(spaced);
    std::u32string joined;
    joined.reserve(normalized.size());
    for (const auto& token : splitPyWhitespace(normalized)) {
        std::u32string lowered;
        lowerInto(token, lowered);
        // BasicTokenizer re-splits " ".join(tokens) on whitespace; lowering never creates whitespace, so
        // joining the lowered tokens with single spaces gives the same text.
        for (const auto& part : splitPyWhitespace(lowered)) {
            if (!joined.empty())
                joined.push_back(' ');
            joined += part;
        }
    }
    return joined;
}

// ---------------------------------------------------------------------------------------------------------
// CLIP pre-tokenizer regex, case-insensitive:
// <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
// ---------------------------------------------------------------------------------------------------------

/** Case-insensitive match of an ASCII-lowercase literal (IGNORECASE also folds U+017F LONG S to 's'). */
bool matchesAt(const std::u32string& s, size_t pos, const char* literal) {
    size_t k = 0;
    for (; literal[k] != '\0'; ++k) {
        if (pos + k >= s.size())
            return false;
        const char32_t c = s[pos + k];
        const auto p = static_cast<char32_t>(static_cast<unsigned char>(literal[k]));
        const bool letter = p >= 'a' && p <= 'z';
        if (c == p || (letter && c == p - 32) || (p == 's' && c == 0x17F))
            continue;
        return false;
    }
    return true;
}

std::vector<std::u32string> clipPreSplit(const std::u32string& s) {
    static const char* const kSpecials[] = {"<|startoftext|>", "<|endoftext|>"};
    static const char* const kContractions[] = {"'s", "'t", "'re", "'ve", "'m", "'ll", "'d"};
    std::vector<std::u32string> pieces;
    size_t i = 0;
    while (i < s.size()) {
        size_t len = 0;
        for (const char* lit : kSpecials)
            if (len == 0 && matchesAt(s, i, lit))
                len = std::char_traits<char>::length(lit);
        if (len == 0 && s[i] == '\'') {
            for (const char* lit : kContractions)
                if (len == 0 && matchesAt(s, i, lit))
                    len = std::char_traits<char>::length(lit);
        }
        if (len == 0) {
            const unsigned f = flagsOf(s[i]);
            if (f & ud::kFlagLetter) {
                size_t j = i + 1;
                while (j < s.size() && hasFlag(s[j], ud::kFlagLetter))
                    ++j;
                len = j - i;
            } else if (f & ud::kFlagNumber) {
                len = 1;
            } else if (!(f & (ud::kFlagPySpace | ud::kFlagRegexUnmatched))) {
                constexpr unsigned kStop =
                    ud::kFlagLetter | ud::kFlagNumber | ud::kFlagPySpace | ud::kFlagRegexUnmatched;
                size_t j = i + 1;
                while (j < s.size() && !(flagsOf(s[j]) & kStop))
                    ++j;
                len = j - i;
            }
        }
        if (len == 0) { // whitespace, or a character no alternative matches (U+0345): findall skips it
            ++i;
            continue;
        }
        pieces.emplace_back(s.substr(i, len));
        i += len;
    }
    return pieces;
}

// ---------------------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------------------

std::string readWholeFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("CLIP tokenizer: cannot open " + path);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        throw std::runtime_error("CLIP tokenizer: cannot read " + path);
    return ss.str();
}

bool fileExists(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return static_cast<bool>(in);
}

nlohmann::json parseJsonFile(const std::string& path) {
    const std::string text = readWholeFile(path);
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error("CLIP tokenizer: " + path + " is not valid JSON (" + e.what() + ")");
    }
}

/** A special-token entry is either a string or an AddedToken object with "content". */
bool readTokenEntry(const nlohmann::json& obj, const char* key, std::string& out, const std::string& path) {
    if (!obj.contains(key) || obj[key].is_null())
        return false;
    const auto& v = obj[key];
    if (v.is_string()) {
        out = v.get<std::string>();
        return true;
    }
    if (v.is_object() && v.contains("content") && v["content"].is_string()) {
        out = v["content"].get<std::string>();
        return true;
    }
    throw std::runtime_error(std::string("CLIP tokenizer: ") + path + ": \"" + key +
                             "\" is neither a string nor an object with \"content\"");
}

constexpr size_t kClipMaxMerges = 49152 - 256 - 2; // CLIPTokenizer reads merges[1 : 49152-256-2+1]

} // namespace

// -------------------------------------------------------------------------------------------------------------
// ClipTokenizer
// -------------------------------------------------------------------------------------------------------------

const char* ClipTokenizer::unicode_version() {
    return ud::kUnicodeVersion;
}

ClipTokenizer::ClipTokenizer(const std::string& folder) {
    const std::string base = folder.empty() || folder.back() == '/' ? folder : folder + "/";

    // GPT-2 bytes_to_unicode: printable bytes map to themselves, the rest to U+0100.. in byte order.
    {
        char32_t next = 256;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
            std::string sym;
            appendUtf8(printable ? static_cast<char32_t>(b) : next++, sym);
            m_byteSymbol[b] = sym;
        }
    }

    const std::string vocabPath = base + "vocab.json";
    const nlohmann::json vocab = parseJsonFile(vocabPath);
    if (!vocab.is_object() || vocab.empty())
        throw std::runtime_error("CLIP tokenizer: " + vocabPath + " is not a JSON object of token → id");
    int64_t maxId = -1;
    for (auto it = vocab.begin(); it != vocab.end(); ++it) {
        if (!it.value().is_number_integer() || it.value().get<int64_t>() < 0)
            throw std::runtime_error("CLIP tokenizer: " + vocabPath + ": id of token \"" + it.key() +
                                     "\" is not a non-negative integer");
        const int64_t id = it.value().get<int64_t>();
        if (id > 10'000'000)
            throw std::runtime_error("CLIP tokenizer: " + vocabPath + ": id " + std::to_string(id) +
                                     " is implausibly large");
        m_vocab.emplace(it.key(), id);
        maxId = std::max(maxId, id);
    }
    m_idToToken.assign(static_cast<size_t>(maxId + 1), std::string());
    for (const auto& [token, id] : m_vocab)
        m_idToToken[static_cast<size_t>(id)] = token;

    const std::string mergesPath = base + "merges.txt";
    const std::string merges = readWholeFile(mergesPath);
    {
        // Python: f.read().strip().split("\n")[1 : 48895] — the first line is the "#version" header.
        size_t begin = merges.find_first_not_of(" \t\r\n");
        size_t end = merges.find_last_not_of(" \t\r\n");
        const std::string body =
            begin == std::string::npos ? std::string() : merges.substr(begin, end - begin + 1);
        std::istringstream lines(body);
        std::string line;
        size_t lineNo = 0;
        while (std::getline(lines, line)) {
            ++lineNo;
            if (lineNo == 1)
                continue;
            if (m_mergeRanks.size() >= kClipMaxMerges)
                break;
            std::istringstream parts(line);
            std::string a, b, extra;
            if (!(parts >> a >> b) || (parts >> extra))
                throw std::runtime_error("CLIP tokenizer: " + mergesPath + " line " + std::to_string(lineNo) +
                                         ": expected two symbols separated by a space");
            m_mergeRanks.emplace(a + " " + b, static_cast<int>(lineNo - 2));
        }
        if (lineNo == 0)
            throw std::runtime_error("CLIP tokenizer: " + mergesPath + " is empty");
    }

    // Special tokens: CLIPTokenizer defaults, then tokenizer_config.json, then special_tokens_map.json.
    std::string bos = "<|startoftext|>", eos = "<|endoftext|>", unk = "<|endoftext|>", pad = "<|endoftext|>";
    for (const char* name : {"tokenizer_config.json", "special_tokens_map.json"}) {
        const std::string path = base + name;
        if (!fileExists(path))
            continue;
        const nlohmann::json cfg = parseJsonFile(path);
        if (!cfg.is_object())
            throw std::runtime_error("CLIP tokenizer: " + path + " is not a JSON object");
        readTokenEntry(cfg, "bos_token", bos, path);
        readTokenEntry(cfg, "eos_token", eos, path);
        readTokenEntry(cfg, "unk_token", unk, path);
        readTokenEntry(cfg, "pad_token", pad, path);
        if (cfg.contains("model_max_length") && cfg["model_max_length"].is_number_integer()) {
            const auto len = cfg["model_max_length"].get<int64_t>();
            if (len < 2 || len > 1'000'000)
                throw std::runtime_error("CLIP tokenizer: " + path + ": model_max_length " +
                                         std::to_string(len) + " is out of range");
            m_modelMaxLength = static_cast<size_t>(len);
        }
    }
    auto idOf = [&](const std::string& token, const char* role) {
        const auto it = m_vocab.find(token);
        if (it == m_vocab.end())
            throw std::runtime_error("CLIP tokenizer: " + vocabPath + " has no entry for the " + role +
                                     " token \"" + token + "\"");
        return it->second;
    };
    m_bosToken = bos;
    m_eosToken = eos;
    m_bosId = idOf(bos, "bos");
    m_eosId = idOf(eos, "eos");
    m_unkId = idOf(unk, "unk");
    m_padId = idOf(pad, "pad");
    for (const std::string& t : {bos, eos, unk, pad})
        if (!t.empty() &&
            std::find(m_specialTokens.begin(), m_specialTokens.end(), t) == m_specialTokens.end())
            m_specialTokens.push_back(t);
    // Longest first, so a special token that is a prefix of another never wins a tie.
    std::sort(m_specialTokens.begin(), m_specialTokens.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::vector<std::string> ClipTokenizer::bpe(const std::u32string& piece) const {
    std::string utf8;
    for (char32_t c : piece)
        appendUtf8(c, utf8);
    // CLIPTokenizer's bpe cache is pre-seeded with the two special strings: they pass through unchanged.
    if (utf8 == "<|startoftext|>" || utf8 == "<|endoftext|>")
        return {utf8};

    // Symbols: one per UTF-8 byte (byte-level alphabet), "</w>" appended to the last.
    std::vector<std::string> sym;
    sym.reserve(utf8.size());
    for (unsigned char b : utf8)
        sym.push_back(m_byteSymbol[b]);
    if (sym.empty())
        return {};
    sym.back() += "</w>";
    const size_t n = sym.size();
    if (n == 1)
        return sym;

    // Python's loop: repeatedly take the lowest-ranked adjacent pair and merge every non-overlapping
    // occurrence of it left to right, then recompute pairs. Here the same order with a priority queue:
    // all queued occurrences of the lowest rank are merged as one batch in position order (an occurrence
    // is stale when either node changed since it was queued), and only then are the new pairs queued.
    std::vector<int> next(n), prev(n), version(n, 0);
    std::vector<bool> alive(n, true);
    for (size_t i = 0; i < n; ++i) {
        next[i] = i + 1 < n ? static_cast<int>(i + 1) : -1;
        prev[i] = static_cast<int>(i) - 1;
    }
    struct Entry {
        int rank, left, right, leftVersion, rightVersion;
        bool operator>(const Entry& o) const { return rank != o.rank ? rank > o.rank : left > o.left; }
    };
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue;
    auto push = [&](int l, int r) {
        if (l < 0 || r < 0)
            return;
        const auto it = m_mergeRanks.find(sym[static_cast<size_t>(l)] + " " + sym[static_cast<size_t>(r)]);
        if (it != m_mergeRanks.end())
            queue.push({it->second, l, r, version[static_cast<size_t>(l)], version[static_cast<size_t>(r)]});
    };
    for (size_t i = 0; i + 1 < n; ++i)
        push(static_cast<int>(i), static_cast<int>(i + 1));

    std::vector<Entry> batch;
    std::vector<int> merged;
    while (!queue.empty()) {
        const int rank = queue.top().rank;
        batch.clear();
        while (!queue.empty() && queue.top().rank == rank) {
            batch.push_back(queue.top());
            queue.pop();
        }
        merged.clear();
        for (const Entry& e : batch) { // already in position order
            const auto l = static_cast<size_t>(e.left), r = static_cast<size_t>(e.right);
            if (!alive[l] || !alive[r] || next[l] != e.right || version[l] != e.leftVersion ||
                version[r] != e.rightVersion)
                continue;
            sym[l] += sym[r];
            ++version[l];
            alive[r] = false;
            next[l] = next[r];
            if (next[r] >= 0)
                prev[static_cast<size_t>(next[r])] = e.left;
            merged.push_back(e.left);
        }
        for (int m : merged) {
            if (!alive[static_cast<size_t>(m)])
                continue;
            push(prev[static_cast<size_t>(m)], m);
            push(m, next[static_cast<size_t>(m)]);
        }
    }
    std::vector<std::string> out;
    for (int i = 0; i >= 0; i = next[static_cast<size_t>(i)])
        out.push_back(std::move(sym[static_cast<size_t>(i)]));
    return out;
}

std::vector<std::string> ClipTokenizer::tokensOfChunk(const std::u32string& chunk) const {
    std::vector<std::string> out;
    for (const auto& piece : clipPreSplit(basicClean(chunk))) {
        auto symbols = bpe(piece);
        out.insert(out.end(), std::make_move_iterator(symbols.begin()),
                   std::make_move_iterator(symbols.end()));
    }
    return out;
}

std::vector<std::string> ClipTokenizer::tokens(const std::string& text) const {
    const std::u32string u = decodeUtf8(text);
    std::vector<std::u32string> specials;
    for (const auto& s : m_specialTokens)
        specials.push_back(decodeUtf8(s));
    // Split out special tokens on the raw text (transformers' added-token trie), clean up the rest.
    std::vector<std::string> out;
    size_t chunkStart = 0;
    size_t i = 0;
    while (i < u.size()) {
        const std::u32string* hit = nullptr;
        for (const auto& s : specials) {
            if (!s.empty() && u.compare(i, s.size(), s) == 0) {
                hit = &s;
                break;
            }
        }
        if (!hit) {
            ++i;
            continue;
        }
        if (i > chunkStart) {
            auto part = tokensOfChunk(u.substr(chunkStart, i - chunkStart));
            out.insert(out.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
        }
        std::string special;
        for (char32_t c : *hit)
            appendUtf8(c, special);
        out.push_back(std::move(special));
        i += hit->size();
        chunkStart = i;
    }
    if (chunkStart < u.size()) {
        auto part = tokensOfChunk(u.substr(chunkStart));
        out.insert(out.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    }
    return out;
}

int64_t ClipTokenizer::token_to_id(const std::string& token) const {
    const auto it = m_vocab.find(token);
    return it == m_vocab.end() ? -1 : it->second;
}

const std::string& ClipTokenizer::id_to_token(int64_t id) const {
    if (id < 0 || static_cast<size_t>(id) >= m_idToToken.size() ||
        m_idToToken[static_cast<size_t>(id)].empty())
        throw std::out_of_range("CLIP tokenizer: id " + std::to_string(id) + " is not in the vocabulary");
    return m_idToToken[static_cast<size_t>(id)];
}

std::vector<int64_t> ClipTokenizer::encode(const std::string& text) const {
    const auto toks = tokens(text);
    std::vector<int64_t> ids;
    ids.reserve(toks.size() + 2);
    ids.push_back(m_bosId);
    for (const auto& t : toks) {
        const int64_t id = token_to_id(t);
        ids.push_back(id >= 0 ? id : m_unkId);
    }
    ids.push_back(m_eosId);
    return ids;
}

PaddedTokens ClipTokenizer::encode_padded(const std::string& text, size_t max_length) const {
    if (max_length < 2)
        throw std::invalid_argument("CLIP tokenizer: max_length must be at least 2 (bos and eos), got " +
                                    std::to_string(max_length));
    std::vector<int64_t> ids = encode(text);
    if (ids.size() > max_length) {
        ids.resize(max_length - 1); // keep bos and the first max_length-2 content tokens
        ids.push_back(m_eosId);
    }
    PaddedTokens out;
    out.attention_mask.assign(ids.size(), 1);
    out.attention_mask.resize(max_length, 0);
    out.ids = std::move(ids);
    out.ids.resize(max_length, m_padId);
    return out;
}

std::vector<PaddedTokens> ClipTokenizer::encode_batch(const std::vector<std::string>& texts, PaddingMode mode,
                                                      size_t max_length) const {
    std::vector<PaddedTokens> out;
    out.reserve(texts.size());
    if (mode == PaddingMode::MaxLength) {
        for (const auto& t : texts)
            out.push_back(encode_padded(t, max_length));
        return out;
    }
    size_t longest = 0;
    std::vector<std::vector<int64_t>> all;
    for (const auto& t : texts) {
        all.push_back(encode(t));
        longest = std::max(longest, all.back().size());
    }
    for (auto& ids : all) {
        PaddedTokens p;
        p.attention_mask.assign(ids.size(), 1);
        p.attention_mask.resize(longest, 0);
        p.ids = std::move(ids);
        p.ids.resize(longest, m_padId);
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<int> ClipTokenizer::find_phrase(const std::vector<int64_t>& prompt_ids,
                                            const std::string& phrase) const {
    std::vector<int64_t> needle;
    for (const auto& t : tokens(phrase)) {
        const int64_t id = token_to_id(t);
        needle.push_back(id >= 0 ? id : m_unkId);
    }
    if (needle.empty() || needle.size() > prompt_ids.size())
        return {};
    const auto it = std::search(prompt_ids.begin(), prompt_ids.end(), needle.begin(), needle.end());
    if (it == prompt_ids.end())
        return {};
    std::vector<int> positions;
    const int first = static_cast<int>(it - prompt_ids.begin());
    for (size_t k = 0; k < needle.size(); ++k)
        positions.push_back(first + static_cast<int>(k));
    return positions;
}

bool ClipTokenizer::is_single_token(const std::string& word) const {
    const auto toks = tokens(word);
    if (toks.size() != 1)
        return false;
    if (std::find(m_specialTokens.begin(), m_specialTokens.end(), toks[0]) != m_specialTokens.end())
        return false;
    return token_to_id(toks[0]) >= 0;
}

} // namespace mb::ml
