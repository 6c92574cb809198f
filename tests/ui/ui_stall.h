#pragma once
// Shared by the widget tests that check the UI thread stays responsive.
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <functional>

/** Longest gap between ticks of a 10 ms timer until `done` (or the timeout): how long the UI was blocked. */
inline qint64 longestUiStall(const std::function<bool()>& done, int timeoutMs) {
    QElapsedTimer clock, since;
    clock.start();
    since.start();
    qint64 worst = 0;
    QTimer tick;
    tick.setInterval(10);
    QObject::connect(&tick, &QTimer::timeout, [&] { worst = std::max(worst, since.restart()); });
    tick.start();
    while (!done() && clock.elapsed() < timeoutMs)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    return worst;
}
