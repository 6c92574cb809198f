#pragma once
/**
 * \file jobs_dock.h
 * \brief The Jobs dock: the job queue (one job runs at a time) and the details of the selected job — progress
 *        bar, stage, elapsed time, ETA, a live log, the training loss plot when the job reports values, a
 *        take's latest step preview as a thumbnail while it renders, the error with the tail of stderr when
 *        it failed — with Cancel, Cancel All and Clear Finished.
 *
 * The bar of a take is its overall progress over all stages, so it and the ETA run once from 0 to 100 %; a
 * failed or cancelled job keeps its bar where it stopped, marked "failed" or "cancelled" (and keeps its last
 * preview, showing how far it got). The dock follows the running job until the user selects another one.
 */
#include <QHash>
#include <QPointer>
#include <QVector>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTimer;
class QTreeView;

namespace mb::ui {

class JobQueue;
class LossPlot;
class ProcessJob;

class JobsDock : public QWidget {
    Q_OBJECT
public:
    explicit JobsDock(JobQueue* queue, QWidget* parent = nullptr);

    JobQueue* queue() const { return m_queue; }
    /** The job whose details are shown (nullptr when none). */
    ProcessJob* currentJob() const { return m_current; }
    void setCurrentJob(ProcessJob* job);

    LossPlot* lossPlot() const { return m_lossPlot; }
    QPlainTextEdit* logView() const { return m_log; }
    QProgressBar* progressBar() const { return m_progress; }
    QString stageText() const;
    QString timeText() const;
    QString errorText() const;
    QPushButton* cancelButton() const { return m_cancelButton; }
    /** The step-preview thumbnail (hidden when the shown job has none) and its caption. */
    QLabel* previewThumbnail() const { return m_previewThumb; }
    QString previewCaption() const;

    QSize sizeHint() const override { return {420, 320}; }

public Q_SLOTS:
    /** Cancels the shown job. */
    void cancelCurrent();

private:
    void onRowsInserted(int first, int last);
    void refresh();
    void refreshTimes();
    void rebuildDetails();
    void refreshPreview();

    JobQueue* m_queue;
    QPointer<ProcessJob> m_current;
    QHash<const ProcessJob*, QVector<QPair<QString, double>>> m_values; ///< every value each job reported
    QTreeView* m_view;
    QLabel* m_title;
    QProgressBar* m_progress;
    QLabel* m_stage;
    QLabel* m_times;
    QLabel* m_error;
    QWidget* m_previewBox;
    QLabel* m_previewThumb;
    QLabel* m_previewText;
    LossPlot* m_lossPlot;
    QPlainTextEdit* m_log;
    QPushButton* m_cancelButton;
    QPushButton* m_cancelAllButton;
    QPushButton* m_clearButton;
    QTimer* m_clock;
};

} // namespace mb::ui
