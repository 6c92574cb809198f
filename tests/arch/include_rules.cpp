#include "include_rules.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>

namespace fs = std::filesystem;

namespace mbtest {
namespace {

struct Include {
    std::string name; // as written, without the delimiters
    bool angled = false;
};

std::vector<Include> includesOf(const fs::path& file) {
    static const std::regex line(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
    std::vector<Include> out;
    std::ifstream in(file);
    std::string text;
    std::smatch m;
    while (std::getline(in, text))
        if (std::regex_search(text, m, line))
            out.push_back({m[2].str(), m[1].str() == "<"});
    return out;
}

bool isSource(const fs::path& p) {
    const std::string e = p.extension().string();
    return e == ".h" || e == ".hpp" || e == ".cpp" || e == ".inc";
}

bool startsWith(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

bool isQt(const Include& i) {
    return i.angled && (startsWith(i.name, "Q") || startsWith(i.name, "qcustomplot"));
}
bool isTorch(const Include& i) {
    return i.angled && (startsWith(i.name, "torch/") || startsWith(i.name, "ATen/") ||
                        startsWith(i.name, "c10/") || startsWith(i.name, "caffe2/"));
}
bool isMediaLibrary(const Include& i) {
    return i.angled &&
           (startsWith(i.name, "opencv2/") || startsWith(i.name, "libav") || startsWith(i.name, "libsw"));
}

class Scanner {
public:
    explicit Scanner(fs::path root) : m_root(std::move(root)) {}

    /// A quoted include resolved the way the build's include paths do: next to the file, then core/, then the
    /// repository root (ui/ and app/ headers are included as "ui/x.h"), then app/.
    std::optional<fs::path> resolve(const fs::path& from, const std::string& name) const {
        for (const fs::path& base : {from.parent_path(), m_root / "core", m_root, m_root / "app"}) {
            const fs::path p = base / name;
            if (fs::is_regular_file(p))
                return fs::weakly_canonical(p);
        }
        return std::nullopt;
    }

    std::string rel(const fs::path& p) const { return fs::relative(p, m_root).generic_string(); }

    /// The first include chain from `file` that reaches a LibTorch header, or nothing.
    std::optional<std::string> torchChain(const fs::path& file) {
        const std::string key = file.string();
        if (auto it = m_torch.find(key); it != m_torch.end())
            return it->second;
        m_torch[key] = std::nullopt; // breaks include cycles
        std::optional<std::string> found;
        for (const Include& i : includesOf(file)) {
            if (isTorch(i)) {
                found = rel(file) + " -> <" + i.name + ">";
                break;
            }
            if (i.angled)
                continue;
            if (const auto target = resolve(file, i.name))
                if (const auto chain = torchChain(*target)) {
                    found = rel(file) + " -> " + *chain;
                    break;
                }
        }
        m_torch[key] = found;
        return found;
    }

private:
    fs::path m_root;
    std::map<std::string, std::optional<std::string>> m_torch;
};

std::vector<fs::path> sourcesUnder(const fs::path& dir) {
    std::vector<fs::path> out;
    if (!fs::is_directory(dir))
        return out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file() && isSource(e.path()))
            out.push_back(fs::weakly_canonical(e.path()));
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

std::vector<IncludeViolation> findIncludeViolations(const std::string& rootText) {
    const fs::path root = fs::weakly_canonical(rootText);
    Scanner scan(root);
    std::vector<IncludeViolation> out;

    for (const fs::path& f : sourcesUnder(root / "core")) {
        const std::string r = scan.rel(f);
        const bool ml = startsWith(r, "core/ml/");
        for (const Include& i : includesOf(f)) {
            const std::string shown = i.angled ? "<" + i.name + ">" : "\"" + i.name + "\"";
            if (isQt(i))
                out.push_back({r, r + " -> " + shown, "core/ includes no Qt header"});
            else if (!i.angled && startsWith(i.name, "ui/"))
                out.push_back({r, r + " -> " + shown, "core/ includes nothing from ui/"});
            else if (ml && isMediaLibrary(i))
                out.push_back({r, r + " -> " + shown, "core/ml/ includes no OpenCV or FFmpeg header"});
            else if (ml && !i.angled && startsWith(i.name, "media/"))
                out.push_back({r, r + " -> " + shown, "core/ml/ includes nothing from core/media/"});
        }
    }
    for (const fs::path& f : sourcesUnder(root / "ui"))
        if (const auto chain = scan.torchChain(f))
            out.push_back({scan.rel(f), *chain, "ui/ reaches no LibTorch header"});
    return out;
}

} // namespace mbtest
