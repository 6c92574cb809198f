#pragma once
/**
 * \file playback_controller.h
 * \brief Play, pause and loop the shot at its fps by moving the document's current frame.
 */
#include <QObject>
#include <QTimer>

namespace mb::ui {

class ProjectDocument;

class PlaybackController : public QObject {
    Q_OBJECT
public:
    explicit PlaybackController(ProjectDocument* document, QObject* parent = nullptr);

    bool isPlaying() const { return m_timer.isActive(); }
    bool loops() const { return m_loop; }

public Q_SLOTS:
    void play();
    void pause();
    void togglePlay();
    void setLoop(bool loop);
    void stepForward();
    void stepBackward();
    void goToStart();
    void goToEnd();

Q_SIGNALS:
    void playingChanged(bool playing);

private:
    void advance();
    void updateInterval();

    ProjectDocument* m_document;
    QTimer m_timer;
    bool m_loop = true;
};

} // namespace mb::ui
