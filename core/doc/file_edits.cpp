#include "doc/file_edits.h"

#include <filesystem>
#include <stdexcept>

namespace fs = std::filesystem;

namespace mb {

namespace {

bool isMissing(const std::string& path) {
    std::error_code ec;
    return !path.empty() && !fs::is_regular_file(path, ec);
}

/** Swaps the parts a relink changes between two whole values (the paths live all over the project). */
class RelinkFiles : public EditCommand {
public:
    RelinkFiles(const Project& p, const std::map<std::string, std::string>& moves, std::string label)
        : m_label(std::move(label)) {
        const auto moved = [&](std::string& path) {
            const auto it = moves.find(path);
            if (it != moves.end())
                path = it->second;
        };
        m_before = {p.subjects, p.background, p.takes};
        m_after = m_before;
        for (Subject& s : m_after.subjects)
            for (SubjectPhoto& photo : s.photos) {
                moved(photo.image);
                moved(photo.mask);
            }
        moved(m_after.background);
        for (Take& t : m_after.takes) {
            moved(t.video);
            moved(t.sidecar);
        }
    }
    void apply(Project& p) override { put(p, m_after); }
    void revert(Project& p) override { put(p, m_before); }
    std::string label() const override { return m_label; }
    unsigned scope() const override { return ScopeSubjects | ScopeBackground | ScopeTakes; }
    bool isNoOp() const override {
        return m_before.subjects == m_after.subjects && m_before.background == m_after.background &&
               m_before.takes == m_after.takes;
    }

private:
    struct Files {
        std::vector<Subject> subjects;
        std::string background;
        std::vector<Take> takes;
    };
    static void put(Project& p, const Files& f) {
        // Only the paths differ between before and after: subjects are matched by id so that a later edit
        // to anything else of a subject (made before this command is undone) is never swapped back.
        for (const Subject& s : f.subjects)
            if (Subject* target = p.findSubject(s.id))
                target->photos = s.photos;
        p.background = f.background;
        p.takes = f.takes;
    }
    std::string m_label;
    Files m_before, m_after;
};

class RemoveTake : public EditCommand {
public:
    RemoveTake(const Project& p, size_t index, std::string label)
        : m_index(index), m_label(std::move(label)) {
        if (index >= p.takes.size())
            throw std::logic_error("edit: no take " + std::to_string(index));
        m_take = p.takes[index];
    }
    void apply(Project& p) override {
        if (m_index >= p.takes.size() || p.takes[m_index] != m_take)
            throw std::logic_error("edit: the take to remove is not at " + std::to_string(m_index));
        p.takes.erase(p.takes.begin() + long(m_index));
    }
    void revert(Project& p) override {
        if (m_index > p.takes.size())
            throw std::logic_error("edit: cannot put back take " + std::to_string(m_index));
        p.takes.insert(p.takes.begin() + long(m_index), m_take);
    }
    std::string label() const override { return m_label; }
    unsigned scope() const override { return ScopeTakes; }

private:
    size_t m_index;
    Take m_take;
    std::string m_label;
};

class SetTake : public EditCommand {
public:
    SetTake(const Project& p, size_t index, Take after, std::string label)
        : m_index(index), m_after(std::move(after)), m_label(std::move(label)) {
        if (index >= p.takes.size())
            throw std::logic_error("edit: no take " + std::to_string(index));
        m_before = p.takes[index];
    }
    void apply(Project& p) override { at(p) = m_after; }
    void revert(Project& p) override { at(p) = m_before; }
    std::string label() const override { return m_label; }
    unsigned scope() const override { return ScopeTakes; }
    bool isNoOp() const override { return m_before == m_after; }

private:
    Take& at(Project& p) const {
        if (m_index >= p.takes.size())
            throw std::logic_error("edit: no take " + std::to_string(m_index));
        return p.takes[m_index];
    }
    size_t m_index;
    Take m_before, m_after;
    std::string m_label;
};

} // namespace

std::vector<MissingFile> findMissingFiles(const Project& project) {
    std::vector<MissingFile> out;
    for (const Subject& s : project.subjects)
        for (const SubjectPhoto& photo : s.photos) {
            if (isMissing(photo.image))
                out.push_back({photo.image, "photo", s.id});
            if (isMissing(photo.mask))
                out.push_back({photo.mask, "mask", s.id});
        }
    if (isMissing(project.background))
        out.push_back({project.background, "background", {}});
    for (const Take& t : project.takes) {
        if (isMissing(t.video))
            out.push_back({t.video, "take", {}});
        if (isMissing(t.sidecar))
            out.push_back({t.sidecar, "sidecar", {}});
    }
    return out;
}

EditCommandPtr relinkFiles(const Project& project, const std::map<std::string, std::string>& moves,
                           std::string label) {
    return std::make_unique<RelinkFiles>(project, moves, std::move(label));
}

EditCommandPtr removeTake(const Project& project, size_t index, std::string label) {
    return std::make_unique<RemoveTake>(project, index, std::move(label));
}

EditCommandPtr setTake(const Project& project, size_t index, Take after, std::string label) {
    return std::make_unique<SetTake>(project, index, std::move(after), std::move(label));
}

} // namespace mb
