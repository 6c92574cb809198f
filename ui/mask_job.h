#pragma once
/**
 * \file mask_job.h
 * \brief One auto-mask or mask refinement, run as a worker object on a QThread (never the UI thread).
 *
 * Start it by signal (or QMetaObject::invokeMethod) after moveToThread(); it reports progress, then exactly
 * one of finished/failed/cancelled, and is deleted later by its owner. cancel() is a direct, thread-safe
 * call.
 */
#include "doc/job.h"

#include <QImage>
#include <QObject>
#include <QRect>
#include <QString>

namespace mb::ui {

struct MaskRequest {
    QString imagePath;   ///< the photo
    QString maskPath;    ///< current mask (refine only; may be empty)
    QString outputPath;  ///< where the new mask PNG goes
    bool refine = false; ///< false: automatic mask; true: refine with the hints below
    QImage foreground;   ///< Grayscale8 strokes "subject" (refine), photo-sized or null
    QImage background;   ///< Grayscale8 strokes "not subject" (refine), photo-sized or null
    QRect rect;          ///< refine inside this rectangle (photo pixels); null = none
    int photoIndex = -1; ///< passed back in the result, for the caller's bookkeeping
    QString subjectId;
};

class MaskJob : public QObject {
    Q_OBJECT
public:
    explicit MaskJob(MaskRequest request, QObject* parent = nullptr);

    const MaskRequest& request() const { return m_request; }
    /** Asks the job to stop at its next GrabCut iteration. Thread-safe, direct call. */
    void cancel() { m_cancel.request(); }
    bool cancelRequested() const { return m_cancel.requested(); }

public Q_SLOTS:
    /** Does the work on the calling (worker) thread. */
    void run();

Q_SIGNALS:
    void progress(int percent);
    /** `seconds` is how long the mask took. */
    void finished(const QString& maskPath, double seconds);
    void failed(const QString& message);
    void cancelled();

private:
    MaskRequest m_request;
    CancelToken m_cancel;
};

} // namespace mb::ui
