// ClipTokenizer vs the slow transformers CLIPTokenizer (clip_basic / tiny_basic paths of
// tests/data/reference/vectors/tokenizer_clip.json), identifier lookups and hostile inputs.
#include "ml/tokenizer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using mb::ml::ClipTokenizer;
using mb::ml::PaddingMode;

namespace {

const std::string kClipDir = MB_SOURCE_DIR "/resources/tokenizer-clip";
const std::string kTinyDir = MB_TEST_DATA "/reference/tiny/tokenizer";
const std::string kVectors = MB_TEST_DATA "/reference/vectors/tokenizer_clip.json";

const nlohmann::json& vectors() {
    static const nlohmann::json j = [] {
        std::ifstream in(kVectors);
        if (!in)
            throw std::runtime_error("cannot open " + kVectors);
        return nlohmann::json::parse(in);
    }();
    return j;
}

const ClipTokenizer& clipTokenizer() {
    static const ClipTokenizer tok(kClipDir);
    return tok;
}
const ClipTokenizer& tinyTokenizer() {
    static const ClipTokenizer tok(kTinyDir);
    return tok;
}

/** Checks tokens, ids, ids_77 and attention_mask_77 of every case for one vocabulary (key "clip_basic"...).
 */
void checkAllCases(const ClipTokenizer& tok, const char* key) {
    const auto& cases = vectors().at("cases");
    ASSERT_EQ(cases.size(), 34u);
    for (const auto& c : cases) {
        const std::string text = c.at("text").get<std::string>();
        const auto& want = c.at(key);
        SCOPED_TRACE("case " + std::to_string(c.at("index").get<int>()) + ": " + text);
        EXPECT_EQ(tok.tokens(text), want.at("tokens").get<std::vector<std::string>>());
        EXPECT_EQ(tok.encode(text), want.at("ids").get<std::vector<int64_t>>());
        const auto padded = tok.encode_padded(text, 77);
        EXPECT_EQ(padded.ids, want.at("ids_77").get<std::vector<int64_t>>());
        EXPECT_EQ(padded.attention_mask, want.at("attention_mask_77").get<std::vector<int64_t>>());
    }
}

void checkBatch(const ClipTokenizer& tok, const char* vocabKey) {
    const auto texts = vectors().at("batch_texts").get<std::vector<std::string>>();
    const auto& want = vectors().at("batch").at("basic").at(vocabKey);
    const auto fixed = tok.encode_batch(texts, PaddingMode::MaxLength, 77);
    const auto longest = tok.encode_batch(texts, PaddingMode::Longest);
    ASSERT_EQ(fixed.size(), texts.size());
    ASSERT_EQ(longest.size(), texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
        SCOPED_TRACE("batch row " + std::to_string(i));
        EXPECT_EQ(fixed[i].ids, want.at("max_length_77")[i].get<std::vector<int64_t>>());
        EXPECT_EQ(longest[i].ids, want.at("longest")[i].get<std::vector<int64_t>>());
    }
}

/** A fresh temporary folder holding copies of the given tokenizer files (removed on destruction). */
struct TempTokenizerDir {
    fs::path dir;
    explicit TempTokenizerDir(const std::string& name) {
        dir = fs::temp_directory_path() / ("mb_tok_test_" + name + "_" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        for (const char* f : {"vocab.json", "merges.txt", "special_tokens_map.json", "tokenizer_config.json"})
            fs::copy_file(fs::path(kTinyDir) / f, dir / f);
    }
    ~TempTokenizerDir() { fs::remove_all(dir); }
    void write(const char* file, const std::string& content) const {
        std::ofstream(dir / file, std::ios::binary | std::ios::trunc) << content;
    }
};

std::string errorOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

} // namespace

TEST(ClipTokenizer, UnicodeTablesMatchReferenceVersion) {
    // The vectors were produced by Python 3.11.2 (Unicode 14.0.0); the generated tables must agree.
    EXPECT_STREQ(ClipTokenizer::unicode_version(), "14.0.0");
}

TEST(ClipTokenizer, LoadsRealVocabulary) {
    const auto& tok = clipTokenizer();
    const auto& special = vectors().at("special").at("clip");
    EXPECT_EQ(tok.vocab_size(), special.at("vocab_size").get<size_t>());
    EXPECT_EQ(tok.bos_id(), special.at("bos").get<int64_t>());
    EXPECT_EQ(tok.eos_id(), special.at("eos").get<int64_t>());
    EXPECT_EQ(tok.pad_id(), special.at("pad").get<int64_t>());
    EXPECT_EQ(tok.unk_id(), special.at("unk").get<int64_t>());
    EXPECT_EQ(tok.model_max_length(), special.at("model_max_length").get<size_t>());
    EXPECT_EQ(tok.merge_count(), 48894u);
    EXPECT_EQ(tok.id_to_token(320), "a</w>");
    EXPECT_EQ(tok.token_to_id("a</w>"), 320);
    EXPECT_EQ(tok.token_to_id("not-a-token"), -1);
    EXPECT_THROW(tok.id_to_token(49408), std::out_of_range);
}

TEST(ClipTokenizer, LoadsTinyVocabulary) {
    const auto& tok = tinyTokenizer();
    const auto& special = vectors().at("special").at("tiny");
    EXPECT_EQ(tok.vocab_size(), special.at("vocab_size").get<size_t>());
    EXPECT_EQ(tok.bos_id(), special.at("bos").get<int64_t>());
    EXPECT_EQ(tok.eos_id(), special.at("eos").get<int64_t>());
    EXPECT_EQ(tok.pad_id(), special.at("pad").get<int64_t>());
    EXPECT_EQ(tok.merge_count(), 486u);
}

TEST(ClipTokenizer, AllCasesClipBasic) {
    checkAllCases(clipTokenizer(), "clip_basic");
}
TEST(ClipTokenizer, AllCasesTinyBasic) {
    checkAllCases(tinyTokenizer(), "tiny_basic");
}
TEST(ClipTokenizer, BatchClip) {
    checkBatch(clipTokenizer(), "clip");
}
TEST(ClipTokenizer, BatchTiny) {
    checkBatch(tinyTokenizer(), "tiny");
}

TEST(ClipTokenizer, PublishedStableDiffusionIds) {
    const std::vector<int64_t> want = {49406, 320, 1125, 539, 550, 18376, 6765, 320, 4558, 525, 7496, 49407};
    EXPECT_EQ(clipTokenizer().encode("a photo of an astronaut riding a horse on mars"), want);
}

TEST(ClipTokenizer, IdentifierSksIsOneTokenInRealVocab) {
    const auto& tok = clipTokenizer();
    EXPECT_TRUE(tok.is_single_token("sks"));
    EXPECT_EQ(tok.tokens("sks"), std::vector<std::string>{"sks</w>"});
    EXPECT_EQ(tok.encode("sks"), (std::vector<int64_t>{49406, 48136, 49407}));
    EXPECT_TRUE(tok.is_single_token("dog"));
    EXPECT_FALSE(tok.is_single_token("supercalifragilistic"));
    EXPECT_FALSE(tok.is_single_token("sks dog"));
    EXPECT_FALSE(tok.is_single_token(""));
    EXPECT_FALSE(tok.is_single_token("!")); // the pad token is special, not an identifier
}

TEST(ClipTokenizer, IdentifierSksSplitsInTinyVocab) {
    const auto& tok = tinyTokenizer();
    EXPECT_FALSE(tok.is_single_token("sks"));
    EXPECT_GT(tok.tokens("sks").size(), 1u);
}

TEST(ClipTokenizer, FindPhrase) {
    const auto& tok = clipTokenizer();
    const auto ids = tok.encode("a sks dog running");
    EXPECT_EQ(tok.find_phrase(ids, "sks dog"), (std::vector<int>{2, 3}));
    EXPECT_EQ(tok.find_phrase(ids, "dog"), (std::vector<int>{3}));
    EXPECT_EQ(tok.find_phrase(ids, "SKS Dog"), (std::vector<int>{2, 3})); // same clean-up as the prompt
    EXPECT_TRUE(tok.find_phrase(ids, "cat").empty());
    EXPECT_TRUE(tok.find_phrase(ids, "dog sks").empty());
    EXPECT_TRUE(tok.find_phrase(ids, "   ").empty());
    const auto padded = tok.encode_padded("a photo of a sks dog on the beach", 77);
    EXPECT_EQ(tok.find_phrase(padded.ids, "sks dog"), (std::vector<int>{5, 6})); // bos a photo of a sks dog
    // Multi-token words in the tiny vocab: every piece is reported.
    const auto& tiny = tinyTokenizer();
    const auto tinyIds = tiny.encode("a sks dog");
    const auto pos = tiny.find_phrase(tinyIds, "sks");
    ASSERT_GT(pos.size(), 1u);
    EXPECT_EQ(pos.front(), 2);
    EXPECT_EQ(static_cast<size_t>(pos.back() - pos.front() + 1), pos.size());
}

TEST(ClipTokenizer, TruncationKeepsBosAndEos) {
    const auto& tok = clipTokenizer();
    std::string longText;
    for (int i = 0; i < 200; ++i)
        longText += "dog ";
    const auto p = tok.encode_padded(longText, 77);
    ASSERT_EQ(p.ids.size(), 77u);
    EXPECT_EQ(p.ids.front(), tok.bos_id());
    EXPECT_EQ(p.ids.back(), tok.eos_id());
    EXPECT_EQ(std::count(p.attention_mask.begin(), p.attention_mask.end(), 1), 77);
    const auto shortP = tok.encode_padded("dog", 5);
    EXPECT_EQ(shortP.ids, (std::vector<int64_t>{49406, 1929, 49407, 0, 0}));
    EXPECT_EQ(shortP.attention_mask, (std::vector<int64_t>{1, 1, 1, 0, 0}));
    EXPECT_THROW(tok.encode_padded("dog", 1), std::invalid_argument);
}

TEST(ClipTokenizer, UnicodeCleanUpDetails) {
    const auto& tok = clipTokenizer();
    // NFC: a decomposed "é" (e + U+0301) tokenizes like the precomposed one.
    EXPECT_EQ(tok.tokens("cafe\xCC\x81"), tok.tokens("caf\xC3\xA9"));
    // Singleton decomposition: ANGSTROM SIGN U+212B becomes U+00C5, then lowercases to U+00E5.
    EXPECT_EQ(tok.tokens("\xE2\x84\xAB"), tok.tokens("\xC3\xA5"));
    // Final sigma (Python str.lower): "ΟΔΟΣ" → "οδος" with a final ς; a medial Σ → σ.
    EXPECT_EQ(tok.tokens("\xCE\x9F\xCE\x94\xCE\x9F\xCE\xA3"), tok.tokens("\xCE\xBF\xCE\xB4\xCE\xBF\xCF\x82"));
    EXPECT_EQ(tok.tokens("\xCE\xA3\xCE\x91"), tok.tokens("\xCF\x83\xCE\xB1"));
    // Hangul jamo compose to the syllable (U+1112 U+1161 U+11AB → U+D55C).
    EXPECT_EQ(tok.tokens("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB"), tok.tokens("\xED\x95\x9C"));
    // Control characters vanish, NUL included; U+2028 separates words.
    EXPECT_EQ(tok.tokens(std::string("do\0g", 4)), tok.tokens("dog"));
    EXPECT_EQ(tok.tokens("dog\xE2\x80\xA8"
                         "cat"),
              tok.tokens("dog cat"));
    // U+0345 is matched by no alternative of the case-insensitive regex (its upper case is a letter):
    // skipped.
    EXPECT_EQ(tok.tokens("a\xCD\x85"
                         "b"),
              (std::vector<std::string>{"a</w>", "b</w>"}));
    // Upper-case special token text is lowercased by the clean-up and then kept whole by the regex + bpe
    // cache.
    EXPECT_EQ(tok.encode("<|STARTOFTEXT|>"), (std::vector<int64_t>{49406, 49406, 49407}));
}

TEST(ClipTokenizer, RejectsInvalidUtf8) {
    const auto& tok = clipTokenizer();
    for (const std::string& bad :
         {std::string("abc\xFF"), std::string("\xC3"), std::string("\xC0\x80"), std::string("\xED\xA0\x80"),
          std::string("\xF4\x90\x80\x80"), std::string("ok \x80 no")}) {
        const std::string err = errorOf([&] { tok.encode(bad); });
        EXPECT_NE(err.find("not valid UTF-8"), std::string::npos) << err;
        EXPECT_NE(err.find("byte"), std::string::npos) << err;
    }
}

TEST(ClipTokenizer, HugeInputsStayFast) {
    const auto& tok = clipTokenizer();
    const auto start = std::chrono::steady_clock::now();
    // One 200 000-letter word (BPE on one piece) and 50 000 short words.
    const std::string word(200000, 'x');
    const auto ids = tok.encode(word);
    EXPECT_GT(ids.size(), 2u);
    std::string many;
    for (int i = 0; i < 50000; ++i)
        many += "a dog! ";
    const auto p = tok.encode_padded(many, 77);
    EXPECT_EQ(p.ids.size(), 77u);
    EXPECT_EQ(p.ids[2], 1929); // dog
    EXPECT_EQ(p.ids[3], 0);    // "!" → pad id
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 20.0);
    // Every piece of the huge word is a real vocabulary token (runs of x), never unk.
    for (size_t i = 1; i + 1 < ids.size(); ++i)
        EXPECT_NE(ids[i], tok.unk_id());
}

TEST(ClipTokenizer, MissingOrCorruptFilesNameTheFile) {
    {
        const std::string err = errorOf([] { ClipTokenizer("/nonexistent/mb/tokenizer"); });
        EXPECT_NE(err.find("/nonexistent/mb/tokenizer/vocab.json"), std::string::npos) << err;
    }
    {
        TempTokenizerDir d("corrupt_vocab");
        d.write("vocab.json", "{\"a\": 1, ");
        const std::string err = errorOf([&] { ClipTokenizer t(d.dir.string()); });
        EXPECT_NE(err.find((d.dir / "vocab.json").string()), std::string::npos) << err;
        EXPECT_NE(err.find("not valid JSON"), std::string::npos) << err;
    }
    {
        TempTokenizerDir d("vocab_not_object");
        d.write("vocab.json", "[1, 2, 3]");
        const std::string err = errorOf([&] { ClipTokenizer t(d.dir.string()); });
        EXPECT_NE(err.find("vocab.json"), std::string::npos) << err;
    }
    {
        TempTokenizerDir d("missing_merges");
        fs::remove(d.dir / "merges.txt");
        const std::string err = errorOf([&] { ClipTokenizer t(d.dir.string()); });
        EXPECT_NE(err.find((d.dir / "merges.txt").string()), std::string::npos) << err;
    }
    {
        TempTokenizerDir d("bad_merge_line");
        d.write("merges.txt", "#version: 0.2\nt h\nthree parts here\n");
        const std::string err = errorOf([&] { ClipTokenizer t(d.dir.string()); });
        EXPECT_NE(err.find("merges.txt line 3"), std::string::npos) << err;
    }
    {
        TempTokenizerDir d("corrupt_special");
        d.write("special_tokens_map.json", "{\"pad_token\": ");
        const std::string err = errorOf([&] { ClipTokenizer t(d.dir.string()); });
        EXPECT_NE(err.find("special_tokens_map.json"), std::string::npos) << err;
    }
    {
        TempTokenizerDir d("unknown_special");
        d.write("special_tokens_map.json", "{\"pad_token\": \"<|no-such-token|>\"}");
        const std::string err = errorOf([&] { ClipTokenizer t(d.dir.string()); });
        EXPECT_NE(err.find("pad token"), std::string::npos) << err;
        EXPECT_NE(err.find("vocab.json"), std::string::npos) << err;
    }
    {
        // Without the optional JSON files the CLIPTokenizer defaults apply: pad = <|endoftext|>.
        TempTokenizerDir d("defaults");
        fs::remove(d.dir / "special_tokens_map.json");
        fs::remove(d.dir / "tokenizer_config.json");
        ClipTokenizer t(d.dir.string());
        EXPECT_EQ(t.pad_id(), 999);
        EXPECT_EQ(t.tokens("hi!").back(), "!</w>"); // "!" is then an ordinary character
    }
}
