#include "doc/edit_commands.h"

#include <functional>
#include <stdexcept>

namespace mb {

namespace {

/**
 * The generic value change: locate a part of the project, swap it between before and after.
 * Merges with a later command of the same part and the same non-zero drag id.
 */
template <class T> class ChangeValue : public EditCommand {
public:
    using Locate = std::function<T&(Project&)>;
    ChangeValue(std::string partKey, Locate locate, T before, T after, std::string label, unsigned scope,
                unsigned dragId)
        : m_partKey(std::move(partKey)), m_locate(std::move(locate)), m_before(std::move(before)),
          m_after(std::move(after)), m_label(std::move(label)), m_scope(scope), m_dragId(dragId) {}

    void apply(Project& p) override { m_locate(p) = m_after; }
    void revert(Project& p) override { m_locate(p) = m_before; }
    std::string label() const override { return m_label; }
    unsigned scope() const override { return m_scope; }
    bool isNoOp() const override { return m_before == m_after; }
    bool mergeWith(const EditCommand& later) override {
        auto* o = dynamic_cast<const ChangeValue<T>*>(&later);
        if (!o || m_dragId == 0 || o->m_dragId != m_dragId || o->m_partKey != m_partKey)
            return false;
        m_after = o->m_after;
        return true;
    }

private:
    std::string m_partKey;
    Locate m_locate;
    T m_before, m_after;
    std::string m_label;
    unsigned m_scope;
    unsigned m_dragId;
};

BoxTrack& trackOf(Project& p, const std::string& id) {
    if (BoxTrack* t = p.findTrack(id))
        return *t;
    throw std::logic_error("edit: subject '" + id + "' has no box track");
}

/** Renaming a subject: its track and the prompt's {id} follow. */
class SetSubject : public EditCommand {
public:
    SetSubject(const Project& p, const std::string& id, Subject after, std::string label)
        : m_label(std::move(label)), m_after(std::move(after)) {
        const Subject* s = p.findSubject(id);
        if (!s)
            throw std::logic_error("edit: no subject '" + id + "'");
        m_before = *s;
        m_promptBefore = p.shot.prompt;
        m_promptAfter = p.shot.prompt;
        if (m_before.id != m_after.id) {
            const std::string from = "{" + m_before.id + "}", to = "{" + m_after.id + "}";
            for (size_t pos = 0; (pos = m_promptAfter.find(from, pos)) != std::string::npos; pos += to.size())
                m_promptAfter.replace(pos, from.size(), to);
        }
    }
    void apply(Project& p) override { swap(p, m_before, m_after, m_promptAfter); }
    void revert(Project& p) override { swap(p, m_after, m_before, m_promptBefore); }
    std::string label() const override { return m_label; }
    unsigned scope() const override { return ScopeSubjects | ScopeTracks | ScopeShot; }
    bool isNoOp() const override { return m_before == m_after; }

private:
    static void swap(Project& p, const Subject& from, const Subject& to, const std::string& prompt) {
        Subject* s = p.findSubject(from.id);
        if (!s)
            throw std::logic_error("edit: no subject '" + from.id + "'");
        *s = to;
        if (BoxTrack* t = p.findTrack(from.id))
            t->subjectId = to.id;
        p.shot.prompt = prompt;
    }
    std::string m_label;
    Subject m_before, m_after;
    std::string m_promptBefore, m_promptAfter;
};

class AddSubject : public EditCommand {
public:
    AddSubject(Subject s, std::optional<BoxTrack> t, std::string label)
        : m_subject(std::move(s)), m_track(std::move(t)), m_label(std::move(label)) {}
    void apply(Project& p) override {
        if (p.findSubject(m_subject.id))
            throw std::logic_error("edit: subject '" + m_subject.id + "' exists already");
        p.subjects.push_back(m_subject);
        if (m_track)
            p.boxTracks.push_back(*m_track);
    }
    void revert(Project& p) override {
        p.subjects.erase(p.subjects.begin() + p.subjectIndex(m_subject.id));
        if (m_track)
            p.boxTracks.erase(p.boxTracks.begin() + p.trackIndex(m_subject.id));
    }
    std::string label() const override { return m_label; }
    unsigned scope() const override { return ScopeSubjects | ScopeTracks; }

private:
    Subject m_subject;
    std::optional<BoxTrack> m_track;
    std::string m_label;
};

class RemoveSubject : public EditCommand {
public:
    RemoveSubject(const Project& p, const std::string& id, std::string label) : m_label(std::move(label)) {
        m_subjectIndex = p.subjectIndex(id);
        if (m_subjectIndex < 0)
            throw std::logic_error("edit: no subject '" + id + "'");
        m_subject = p.subjects[size_t(m_subjectIndex)];
        m_trackIndex = p.trackIndex(id);
        if (m_trackIndex >= 0)
            m_track = p.boxTracks[size_t(m_trackIndex)];
    }
    void apply(Project& p) override {
        p.subjects.erase(p.subjects.begin() + p.subjectIndex(m_subject.id));
        if (m_trackIndex >= 0)
            p.boxTracks.erase(p.boxTracks.begin() + p.trackIndex(m_subject.id));
    }
    void revert(Project& p) override {
        p.subjects.insert(p.subjects.begin() + m_subjectIndex, m_subject);
        if (m_trackIndex >= 0)
            p.boxTracks.insert(p.boxTracks.begin() + m_trackIndex, m_track);
    }
    std::string label() const override { return m_label; }
    unsigned scope() const override { return ScopeSubjects | ScopeTracks; }

private:
    std::string m_label;
    Subject m_subject;
    BoxTrack m_track;
    int m_subjectIndex = -1, m_trackIndex = -1;
};

class AddTrack : public EditCommand {
public:
    AddTrack(BoxTrack t, std::string label) : m_track(std::move(t)), m_label(std::move(label)) {}
    void apply(Project& p) override {
        if (p.findTrack(m_track.subjectId))
            throw std::logic_error("edit: subject '" + m_track.subjectId + "' has a track already");
        p.boxTracks.push_back(m_track);
    }
    void revert(Project& p) override {
        p.boxTracks.erase(p.boxTracks.begin() + p.trackIndex(m_track.subjectId));
    }
    std::string label() const override { return m_label; }
    unsigned scope() const override { return ScopeTracks; }

private:
    BoxTrack m_track;
    std::string m_label;
};

class AddTake : public EditCommand {
public:
    AddTake(Take t, std::string label) : m_take(std::move(t)), m_label(std::move(label)) {}
    void apply(Project& p) override { p.takes.push_back(m_take); }
    void revert(Project& p) override {
        for (size_t i = p.takes.size(); i-- > 0;)
            if (p.takes[i] == m_take) {
                p.takes.erase(p.takes.begin() + long(i));
                return;
            }
    }
    std::string label() const override { return m_label; }
    unsigned scope() const override { return ScopeTakes; }

private:
    Take m_take;
    std::string m_label;
};

} // namespace

EditCommandPtr setTrack(const Project& project, const std::string& subjectId, BoxTrack after,
                        std::string label, unsigned dragId) {
    const BoxTrack* t = project.findTrack(subjectId);
    if (!t)
        throw std::logic_error("edit: subject '" + subjectId + "' has no box track");
    return std::make_unique<ChangeValue<BoxTrack>>(
        "track:" + subjectId, [subjectId](Project& p) -> BoxTrack& { return trackOf(p, subjectId); }, *t,
        std::move(after), std::move(label), ScopeTracks, dragId);
}

EditCommandPtr setCamera(const Project& project, CameraPath after, std::string label, unsigned dragId) {
    return std::make_unique<ChangeValue<CameraPath>>(
        "camera", [](Project& p) -> CameraPath& { return p.camera; }, project.camera, std::move(after),
        std::move(label), ScopeCamera, dragId);
}

EditCommandPtr setShot(const Project& project, Shot after, std::string label, unsigned dragId) {
    return std::make_unique<ChangeValue<Shot>>(
        "shot", [](Project& p) -> Shot& { return p.shot; }, project.shot, std::move(after), std::move(label),
        ScopeShot, dragId);
}

EditCommandPtr setSubject(const Project& project, const std::string& subjectId, Subject after,
                          std::string label) {
    return std::make_unique<SetSubject>(project, subjectId, std::move(after), std::move(label));
}

EditCommandPtr setRenderSettings(const Project& project, RenderSettings after, std::string label) {
    return std::make_unique<ChangeValue<RenderSettings>>(
        "render", [](Project& p) -> RenderSettings& { return p.render; }, project.render, std::move(after),
        std::move(label), ScopeRender, 0);
}

EditCommandPtr setBackground(const Project& project, std::string after, std::string label) {
    return std::make_unique<ChangeValue<std::string>>(
        "background", [](Project& p) -> std::string& { return p.background; }, project.background,
        std::move(after), std::move(label), ScopeBackground, 0);
}

EditCommandPtr addSubject(Subject subject, std::optional<BoxTrack> track, std::string label) {
    return std::make_unique<AddSubject>(std::move(subject), std::move(track), std::move(label));
}

EditCommandPtr removeSubject(const Project& project, const std::string& subjectId, std::string label) {
    return std::make_unique<RemoveSubject>(project, subjectId, std::move(label));
}

EditCommandPtr addTrack(BoxTrack track, std::string label) {
    return std::make_unique<AddTrack>(std::move(track), std::move(label));
}

EditCommandPtr addTake(Take take, std::string label) {
    return std::make_unique<AddTake>(std::move(take), std::move(label));
}

} // namespace mb
