#pragma once
/**
 * \file farm_jobs_panel.h
 * \brief The editor's side of the render farm: "Render on farm…" (FarmDialog → `motionbooth-cli farm
 *        submit` as a job of the Jobs dock's queue) and the farm jobs it submitted, each watched by a
 *        FarmJobMonitor, with per-task state, Cancel, Resubmit Failed, Collect and Remove.
 *
 * Collected takes (those that match their sidecars) are added to the open document through its undo stack,
 * exactly like takes rendered locally, so they appear in the Takes panel and Undo removes them. A farm job
 * belongs to the project it was submitted from; its takes are only added while that project is open.
 *
 * The jobs listed here are remembered in QSettings (key settingsKey()), so reopening the editor resumes
 * watching them (restoreJobs()); Remove forgets a job (its folder stays on disk).
 */
#include "ui/farm_dialog.h"
#include "ui/farm_job_monitor.h"

#include "doc/project.h"

#include <QHash>
#include <QPointer>
#include <QVector>
#include <QWidget>
#include <functional>

class QAction;
class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace mb::ui {

class JobQueue;
class ProcessJob;
class ProjectDocument;

class FarmJobsPanel : public QWidget {
    Q_OBJECT
public:
    FarmJobsPanel(ProjectDocument* document, JobQueue* queue, QWidget* parent = nullptr);
    ~FarmJobsPanel() override;

    /** "Render on Farm…": opens the dialog (for the File menu and the panel's button). */
    QAction* renderOnFarmAction() const { return m_renderAction; }
    /** The motionbooth-cli to run (default: cliProgram()); empty disables farm rendering with a reason. */
    void setCliProgram(const QString& program);
    QString program() const { return m_program; }
    /**
     * The project file a submission freezes. Default: the document's file when it is saved and unmodified,
     * else nothing (the user is asked to save). The main window gives its snapshot-making function.
     */
    void setProjectFileProvider(std::function<QString()> provider) { m_projectFile = std::move(provider); }

    /** Poll interval, Slurm-command timeout and child-process deadline for the monitors made from now on. */
    void setMonitorTimings(int pollMs, int slurmTimeoutS, int commandTimeoutMs);

    /** The dialog's starting values: 4 variations, a fresh job folder under <project folder>/farm/. */
    FarmSubmitOptions defaultOptions() const;
    /**
     * Queues `motionbooth-cli farm submit` for `options` in the Jobs dock; when it succeeds (and is not a dry
     * run) the job is added here and watched. Returns the queued job, or nullptr (with a message box unless
     * `quiet`) when the options are invalid or there is no project file.
     */
    ProcessJob* submit(const FarmSubmitOptions& options, bool quiet = false);

    /** Starts watching the job folder `jobDir` (submitted for `projectFile`); remembered in QSettings. */
    FarmJobMonitor* addJob(const QString& jobDir, const QString& projectFile);
    /** Stops watching and forgets the job (its folder stays). */
    void removeJob(FarmJobMonitor* monitor);
    QVector<FarmJobMonitor*> monitors() const { return m_monitors; }
    FarmJobMonitor* monitorFor(const QString& jobDir) const;
    /** The project a watched job belongs to ("" when it was submitted from an unsaved project). */
    QString projectOf(const FarmJobMonitor* monitor) const { return m_projects.value(monitor); }
    /** Re-adds the jobs remembered in QSettings whose folders still exist; returns how many. */
    int restoreJobs();
    static QString settingsKey() { return QStringLiteral("farm/jobs"); }

    FarmJobMonitor* currentMonitor() const { return m_current; }
    void setCurrentMonitor(FarmJobMonitor* monitor);
    /** Adds the takes not already listed in the document (by video path), one undo step each; returns how
     * many. */
    int addTakesToDocument(const QVector<Take>& takes);

    QTreeWidget* tree() const { return m_tree; }
    QTreeWidgetItem* itemFor(const FarmJobMonitor* monitor) const { return m_items.value(monitor); }
    QLabel* messageLabel() const { return m_message; }
    QPushButton* cancelButton() const { return m_cancelButton; }
    QPushButton* resubmitButton() const { return m_resubmitButton; }
    QPushButton* collectButton() const { return m_collectButton; }
    QPushButton* removeButton() const { return m_removeButton; }

    QSize sizeHint() const override { return {420, 260}; }

public Q_SLOTS:
    void showDialog();
    void cancelCurrent();
    void resubmitCurrent();
    void collectCurrent();
    void removeCurrent();

Q_SIGNALS:
    /** A farm submission was queued (shown in the Jobs dock). */
    void submissionQueued(mb::ui::ProcessJob* job);
    void jobAdded(mb::ui::FarmJobMonitor* monitor);
    /** Takes of a farm job were added to the document (count may be 0 when all were listed already). */
    void takesAdded(int count);

private:
    void refreshItem(FarmJobMonitor* monitor);
    void refreshButtons();
    void showMessage(const QString& text, bool error);
    void persist() const;
    void onCollected(FarmJobMonitor* monitor, const QVector<Take>& takes, const QStringList& rejected);

    ProjectDocument* m_document;
    JobQueue* m_queue;
    QString m_program;
    std::function<QString()> m_projectFile;
    int m_pollMs = 3000, m_slurmTimeoutS = 20, m_commandTimeoutMs = 60000;
    QVector<FarmJobMonitor*> m_monitors;
    QHash<const FarmJobMonitor*, QTreeWidgetItem*> m_items;
    QHash<const FarmJobMonitor*, QString> m_projects;
    QPointer<FarmJobMonitor> m_current;
    QAction* m_renderAction;
    QTreeWidget* m_tree;
    QLabel* m_message;
    QPushButton* m_renderButton;
    QPushButton* m_cancelButton;
    QPushButton* m_resubmitButton;
    QPushButton* m_collectButton;
    QPushButton* m_removeButton;
};

} // namespace mb::ui
