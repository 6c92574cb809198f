#pragma once
/**
 * \file tokenizer.h
 * \brief The CLIP byte-level BPE tokenizer, reproducing transformers' slow `CLIPTokenizer` (clip_basic path).
 *
 * What the text-to-video pipeline does with a prompt (N §8, rulings §19): the pipeline's tokenizer is
 * transformers' slow CLIPTokenizer *without* ftfy installed, which cleans text with BERT's BasicTokenizer.
 * ClipTokenizer reproduces that path exactly:
 *  1. split out the special tokens (bos, eos, unk and the pad token `!`, which is registered as special, so
 *     every `!` in a prompt becomes id 0);
 *  2. per remaining chunk, BasicTokenizer clean-up: drop NUL, U+FFFD and every category-C character except
 *     tab/CR/LF, turn tab/CR/LF/Zs into spaces, put spaces around CJK ideographs, NFC-normalise, split on
 *     whitespace, lowercase (Python `str.lower()`, incl. final sigma; no accent stripping), join with spaces;
 *  3. the CLIP regex pre-split `<|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|
 *     [^\s\p{L}\p{N}]+` (case-insensitive);
 *  4. each piece's UTF-8 bytes mapped to GPT-2's byte-level alphabet, BPE with `</w>` on the last symbol
 *     (rank = line order of merges.txt), vocab lookup (unknown → unk id).
 * encode() adds bos/eos; encode_padded() truncates to max_length keeping bos…eos and pads with the pad id.
 *
 * Unicode data comes from core/ml/unicode_tables.inc, generated from CPython's unicodedata by
 * scripts/gen_unicode_tables.py (Unicode 14.0.0, the version of the Python that produced the reference
 * vectors), so no ICU is needed. Deliberately not implemented: the ftfy clean-up path (`clip_ftfy`).
 *
 * Thread-safety: a loaded tokenizer is immutable; all const members may be called from several threads.
 * No torch types in this header (ui code may include it).
 */
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace mb::ml {

/** Ids and attention mask of one prompt padded/truncated to a fixed length (what the pipeline feeds CLIP). */
struct PaddedTokens {
    std::vector<int64_t> ids;            ///< bos, content, eos, then pad ids; exactly max_length entries
    std::vector<int64_t> attention_mask; ///< 1 for bos/content/eos, 0 for padding
};

/** How encode_batch() pads: to a fixed length, or to the longest prompt of the batch (never truncating). */
enum class PaddingMode { MaxLength, Longest };

class ClipTokenizer {
public:
    /**
     * Loads `folder`/vocab.json and `folder`/merges.txt (HF CLIPTokenizer layout) and, when present,
     * tokenizer_config.json (model_max_length, special tokens) and special_tokens_map.json (special tokens;
     * wins over tokenizer_config.json, as in transformers). As in transformers, the first line of merges.txt
     * (the `#version` header) is skipped and at most 48 894 merges are read.
     * Throws std::runtime_error naming the file for a missing/unreadable/corrupt file, a special token that
     * is not in the vocabulary, or a merge line that is not two symbols.
     */
    explicit ClipTokenizer(const std::string& folder);

    /**
     * BPE tokens of `text` without bos/eos (transformers' `tokenize()`), e.g. "a dog!" → {"a</w>", "dog</w>",
     * "!"}. Throws std::runtime_error when `text` is not valid UTF-8 (naming the byte offset).
     */
    std::vector<std::string> tokens(const std::string& text) const;

    /** Token ids of `text` with bos first and eos last, no truncation and no padding. */
    std::vector<int64_t> encode(const std::string& text) const;

    /**
     * Ids padded to exactly `max_length` (≥ 2) with the pad id: content beyond max_length-2 tokens is cut so
     * the result always starts with bos and ends the real tokens with eos — the pipeline's call
     * (`padding="max_length", max_length=77, truncation=True`).
     */
    PaddedTokens encode_padded(const std::string& text, size_t max_length = 77) const;

    /**
     * Several prompts at once. MaxLength: each as encode_padded(text, max_length). Longest: no truncation,
     * every row padded to the longest row's length.
     */
    std::vector<PaddedTokens> encode_batch(const std::vector<std::string>& texts, PaddingMode mode,
                                           size_t max_length = 77) const;

    /**
     * Positions of `phrase`'s tokens inside `prompt_ids` (ids as returned by encode / encode_padded, bos at
     * index 0): the first occurrence of the phrase's token sequence, e.g. prompt "a sks dog running" and
     * phrase "sks dog" → {2, 3}. Empty when the phrase does not occur or tokenizes to nothing.
     */
    std::vector<int> find_phrase(const std::vector<int64_t>& prompt_ids, const std::string& phrase) const;

    /** True when `word` tokenizes to exactly one ordinary vocabulary token (e.g. "sks" in the real vocab). */
    bool is_single_token(const std::string& word) const;

    /** Vocabulary id of a token string (e.g. "sks</w>"), or -1 when it is not in the vocabulary. */
    int64_t token_to_id(const std::string& token) const;
    /** Token string of an id; throws std::out_of_range for an id outside the vocabulary. */
    const std::string& id_to_token(int64_t id) const;

    int64_t bos_id() const { return m_bosId; }
    int64_t eos_id() const { return m_eosId; }
    int64_t pad_id() const { return m_padId; }
    int64_t unk_id() const { return m_unkId; }
    size_t vocab_size() const { return m_vocab.size(); }
    size_t model_max_length() const { return m_modelMaxLength; }
    size_t merge_count() const { return m_mergeRanks.size(); }
    /** Unicode version of the generated tables (must equal the reference's, "14.0.0"). */
    static const char* unicode_version();

private:
    std::vector<std::string> bpe(const std::u32string& piece) const;
    std::vector<std::string> tokensOfChunk(const std::u32string& chunk) const;

    std::unordered_map<std::string, int64_t> m_vocab;
    std::vector<std::string> m_idToToken;              ///< index = id; empty string for ids the vocab skips
    std::unordered_map<std::string, int> m_mergeRanks; ///< key "first second", value = rank
    std::vector<std::string> m_specialTokens;          ///< bos, eos, unk, pad contents (deduplicated)
    std::string m_bosToken, m_eosToken;
    int64_t m_bosId = 0, m_eosId = 0, m_padId = 0, m_unkId = 0;
    size_t m_modelMaxLength = 77;
    std::string m_byteSymbol[256]; ///< GPT-2 bytes_to_unicode, each as UTF-8
};

} // namespace mb::ml
