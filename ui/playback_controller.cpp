#include "ui/playback_controller.h"

#include "ui/project_document.h"

#include <algorithm>
#include <cmath>

namespace mb::ui {

PlaybackController::PlaybackController(ProjectDocument* document, QObject* parent)
    : QObject(parent), m_document(document) {
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &PlaybackController::advance);
    connect(document, &ProjectDocument::changed, this, [this](unsigned scope) {
        if (scope & ScopeShot)
            updateInterval();
    });
}

void PlaybackController::updateInterval() {
    const double fps = std::clamp(m_document->project().shot.fps, 0.5, 240.0);
    m_timer.setInterval(int(std::lround(1000.0 / fps)));
}

void PlaybackController::play() {
    if (isPlaying())
        return;
    // Playing from the last frame starts over, as every player does.
    if (m_document->currentFrame() >= m_document->frameCount() - 1)
        m_document->setCurrentFrame(0);
    updateInterval();
    m_timer.start();
    Q_EMIT playingChanged(true);
}

void PlaybackController::pause() {
    if (!isPlaying())
        return;
    m_timer.stop();
    Q_EMIT playingChanged(false);
}

void PlaybackController::togglePlay() {
    isPlaying() ? pause() : play();
}

void PlaybackController::setLoop(bool loop) {
    m_loop = loop;
}

void PlaybackController::advance() {
    const int next = m_document->currentFrame() + 1;
    if (next >= m_document->frameCount()) {
        if (m_loop) {
            m_document->setCurrentFrame(0);
        } else {
            pause();
        }
        return;
    }
    m_document->setCurrentFrame(next);
}

void PlaybackController::stepForward() {
    m_document->setCurrentFrame(m_document->currentFrame() + 1);
}
void PlaybackController::stepBackward() {
    m_document->setCurrentFrame(m_document->currentFrame() - 1);
}
void PlaybackController::goToStart() {
    m_document->setCurrentFrame(0);
}
void PlaybackController::goToEnd() {
    m_document->setCurrentFrame(m_document->frameCount() - 1);
}

} // namespace mb::ui
