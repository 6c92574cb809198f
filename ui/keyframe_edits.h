#pragma once
/**
 * \file keyframe_edits.h
 * \brief Keyframe list edits the timeline and curves share: move a key in time, delete, insert a copy.
 *
 * Keys live at normalised times (doc/timeline.h); the editor moves them on whole frames. Every function works
 * on a copy of a track's or the camera's key list and reports whether anything changed, so the caller pushes
 * one undo command with the result.
 */
#include "doc/keyframes.h"
#include "doc/timeline.h"

#include <vector>

namespace mb::ui {

/** Index of the key that sits on frame f (by timeToFrame), or -1. */
template <class Value> int keyAtFrame(const std::vector<Keyframe<Value>>& keys, int frame, int frameCount) {
    for (size_t i = 0; i < keys.size(); ++i)
        if (timeToFrame(keys[i].time, frameCount) == frame)
            return int(i);
    return -1;
}

/**
 * Moves key `index` to frame `frame`. Refuses (returns false) when another key already sits on that frame,
 * since two keys on one frame would make a jump. Keeps the list sorted.
 */
template <class Value>
bool moveKeyToFrame(std::vector<Keyframe<Value>>& keys, int index, int frame, int frameCount) {
    if (index < 0 || index >= int(keys.size()))
        return false;
    const int other = keyAtFrame(keys, frame, frameCount);
    if (other >= 0 && other != index)
        return false;
    const double t = frameToTime(frame, frameCount);
    if (keys[size_t(index)].time == t)
        return false;
    keys[size_t(index)].time = t;
    sortKeys(keys);
    return true;
}

/** Removes key `index`. The last remaining key is never removed (a track needs one); returns false then. */
template <class Value> bool deleteKey(std::vector<Keyframe<Value>>& keys, int index) {
    if (index < 0 || index >= int(keys.size()) || keys.size() <= 1)
        return false;
    keys.erase(keys.begin() + index);
    return true;
}

/** Puts a copy of `key` (value and easing) at frame f, replacing a key already there. */
template <class Value>
void pasteKeyAtFrame(std::vector<Keyframe<Value>>& keys, Keyframe<Value> key, int frame, int frameCount) {
    key.time = frameToTime(frame, frameCount);
    const int existing = keyAtFrame(keys, frame, frameCount);
    if (existing >= 0)
        keys[size_t(existing)] = key;
    else
        keys.push_back(key);
    sortKeys(keys);
}

} // namespace mb::ui
