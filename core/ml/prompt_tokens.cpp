#include "ml/prompt_tokens.h"

#include "ml/tokenizer.h"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace mb::ml {

namespace {

/** Decodes one UTF-8 code point at `i` (the tokenizer's own output, so well-formed). */
char32_t nextCodePoint(const std::string& s, size_t& i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (int k = 1; k < n && i + k < s.size(); ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += size_t(n);
    return cp;
}

/** A BPE token back to the bytes it stands for (GPT-2's byte alphabet reversed), `</w>` as a space. */
std::string tokenText(std::string token) {
    std::string tail;
    if (token.size() >= 4 && token.compare(token.size() - 4, 4, "</w>") == 0) {
        token.resize(token.size() - 4);
        tail = " ";
    }
    // bytes_to_unicode: printable bytes map to themselves, the others to U+0100 + n in byte order.
    static const auto others = [] {
        std::vector<unsigned char> v;
        for (int b = 0; b < 256; ++b)
            if (!((b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255)))
                v.push_back(static_cast<unsigned char>(b));
        return v;
    }();
    std::string out;
    for (size_t i = 0; i < token.size();) {
        const char32_t cp = nextCodePoint(token, i);
        if (cp < 256)
            out += static_cast<char>(cp);
        else if (cp - 256 < others.size())
            out += static_cast<char>(others[cp - 256]);
    }
    return out + tail;
}

} // namespace

PromptTokenCount countPromptTokens(const ClipTokenizer& tokenizer, const std::string& prompt) {
    PromptTokenCount c;
    const std::vector<std::string> tokens = tokenizer.tokens(prompt);
    c.tokens = tokens.size();
    c.capacity = tokenizer.model_max_length() >= 2 ? tokenizer.model_max_length() - 2 : 0;
    for (size_t i = c.capacity; i < tokens.size(); ++i)
        c.droppedText += tokenText(tokens[i]);
    while (!c.droppedText.empty() && c.droppedText.back() == ' ')
        c.droppedText.pop_back();
    return c;
}

PromptTokenCount countPromptTokens(const std::string& tokenizerFolder, const std::string& prompt) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const ClipTokenizer>> cache;
    std::shared_ptr<const ClipTokenizer> tokenizer;
    {
        std::lock_guard<std::mutex> lock(mutex);
        auto it = cache.find(tokenizerFolder);
        if (it != cache.end())
            tokenizer = it->second;
    }
    if (!tokenizer) {
        // Loaded outside the lock (a few hundred milliseconds for the real vocabulary).
        tokenizer = std::make_shared<const ClipTokenizer>(tokenizerFolder);
        std::lock_guard<std::mutex> lock(mutex);
        cache.emplace(tokenizerFolder, tokenizer);
    }
    return countPromptTokens(*tokenizer, prompt);
}

std::string promptTooLongMessage(const PromptTokenCount& count, const std::string& what) {
    if (count.fits())
        return {};
    std::string dropped = count.droppedText;
    if (dropped.size() > 200)
        dropped = dropped.substr(0, 200) + "…";
    return what + " is " + std::to_string(count.tokens) + " tokens; the text encoder reads only the first " +
           std::to_string(count.capacity) + ", so it ignores: \"" + dropped + "\"";
}

std::vector<ValidationIssue> promptLengthIssues(const Project& project, const std::string& modelFolder) {
    std::vector<ValidationIssue> issues;
    const std::string folder = (std::filesystem::path(modelFolder) / "tokenizer").string();
    auto warn = [&](const std::string& where, const std::string& message) {
        issues.push_back({ValidationIssue::Severity::Warning, where, message});
    };
    std::string prompt;
    try {
        prompt = project.resolvedPrompt();
    } catch (const std::exception&) {
        // An unknown {placeholder}: validateProject reports it at $.shot.prompt.
        prompt.clear();
    }
    try {
        if (!prompt.empty()) {
            const std::string m =
                promptTooLongMessage(countPromptTokens(folder, prompt), "the resolved prompt");
            if (!m.empty())
                warn("$.shot.prompt", m);
        }
        if (!project.shot.negativePrompt.empty()) {
            const std::string m = promptTooLongMessage(countPromptTokens(folder, project.shot.negativePrompt),
                                                       "the negative prompt");
            if (!m.empty())
                warn("$.shot.negative_prompt", m);
        }
    } catch (const std::exception& e) {
        warn("$.shot.prompt", std::string("prompt length not checked: ") + e.what());
    }
    return issues;
}

} // namespace mb::ml
