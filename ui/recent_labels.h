#pragma once
/**
 * \file recent_labels.h
 * \brief What File ▸ Open Recent shows for each project: its file name, and where two recent projects share
 *        a name, the folder that tells them apart.
 */
#include <QStringList>

namespace mb::ui {

/**
 * One label per entry of `files` (absolute paths), in order: the file name alone when no other entry has
 * it; otherwise "name — folder", the folder being the parent folder's name, or the whole folder path
 * (native separators) where the parent folders' names are the same too.
 */
QStringList recentMenuLabels(const QStringList& files);

} // namespace mb::ui
