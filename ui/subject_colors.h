#pragma once
/**
 * \file subject_colors.h
 * \brief One colour per subject, the same in the stage, timeline and curves, so a box and its track match.
 */
#include <QColor>

namespace mb::ui {

inline QColor subjectColor(int index) {
    static const QColor colors[] = {QColor(0xff, 0x9f, 0x1c), QColor(0x2e, 0xc4, 0xb6),
                                    QColor(0xe7, 0x1d, 0x73), QColor(0x8a, 0xb4, 0xf8),
                                    QColor(0xb5, 0xe4, 0x8c), QColor(0xc7, 0x92, 0xea)};
    const int n = int(sizeof(colors) / sizeof(colors[0]));
    return colors[((index % n) + n) % n];
}

/** The camera's colour (arrow, timeline row, curves). */
inline QColor cameraColor() {
    return QColor(0x4d, 0xa3, 0xff);
}

} // namespace mb::ui
