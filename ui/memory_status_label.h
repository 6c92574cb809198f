#pragma once
/**
 * \file memory_status_label.h
 * \brief A status-bar label with the editor's resident memory (and the system's available memory), refreshed
 *        every two seconds, so an artist sees the cost of a big model before it bites.
 */
#include <QLabel>
#include <QTimer>

namespace mb::ui {

class MemoryStatusLabel : public QLabel {
    Q_OBJECT
public:
    explicit MemoryStatusLabel(QWidget* parent = nullptr);

    /** Resident set size of this process in bytes (0 where the platform does not say). */
    static qint64 residentBytes();
    /** Memory available to new allocations in bytes (0 where unknown). */
    static qint64 availableBytes();

public Q_SLOTS:
    void refresh();

private:
    QTimer m_timer;
};

} // namespace mb::ui
