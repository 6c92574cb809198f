#pragma once
/**
 * \file prompt_tokens.h
 * \brief How much of a prompt the text encoder reads: CLIP takes 77 tokens (bos, 75 of the prompt, eos) and
 *        the pipeline cuts the rest without a word, so `validate`, `render` and the editor say so.
 *
 * No torch types in this header (ui code may include it); it needs only the tokenizer (ml/tokenizer.h).
 */
#include "doc/project.h"

#include <cstddef>
#include <string>
#include <vector>

namespace mb::ml {

class ClipTokenizer;

/** A prompt measured in the tokens of a model's tokenizer. */
struct PromptTokenCount {
    size_t tokens = 0;       ///< the prompt's tokens, without bos and eos
    size_t capacity = 0;     ///< how many of them the text encoder reads: model_max_length - 2 (75 of 77)
    std::string droppedText; ///< what is cut (the tokens beyond capacity, as text); empty when it fits
    bool fits() const { return tokens <= capacity; }
};

/** Counts `prompt`'s tokens with `tokenizer`. Throws runtime_error for text that is not UTF-8. */
PromptTokenCount countPromptTokens(const ClipTokenizer& tokenizer, const std::string& prompt);

/**
 * The same with the tokenizer of a model: `tokenizerFolder` is a model folder's `tokenizer/` (vocab.json,
 * merges.txt). The tokenizer is loaded once per folder and kept (thread-safe), so an editor may call this on
 * every edit. Throws runtime_error naming the folder when it cannot be loaded.
 */
PromptTokenCount countPromptTokens(const std::string& tokenizerFolder, const std::string& prompt);

/** "prompt is 90 tokens; the text encoder reads only the first 75, so it ignores: "…"" for `what` =
 *  "prompt"; empty when the count fits. */
std::string promptTooLongMessage(const PromptTokenCount& count, const std::string& what);

/**
 * Warnings (ValidationIssue::Severity::Warning) at `$.shot.prompt` and `$.shot.negative_prompt` for the
 * project's resolved prompt and its negative prompt when the text encoder of the model in `modelFolder`
 * reads only part of them. A prompt with an unknown placeholder is left to validateProject. A tokenizer that
 * cannot be loaded gives one warning saying the length was not checked and why.
 */
std::vector<ValidationIssue> promptLengthIssues(const Project& project, const std::string& modelFolder);

} // namespace mb::ml
