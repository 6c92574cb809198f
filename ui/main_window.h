#pragma once
/**
 * \file main_window.h
 * \brief The editor window: the stage in the centre; timeline, curves, properties, subjects, preview and
 *        history as docks; menus, toolbars and shortcuts; open/save/recent files, autosave and recovery.
 *
 * Shortcuts: Space play/pause, Left/Right step frames, Home/End first/last frame, K add keyframe, Del delete
 * keyframe, V select tool, B box tool, O onion skin, Ctrl+Z/Ctrl+Shift+Z undo/redo, Ctrl+E export.
 */
#include "ui/render_options.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QProcess;

namespace mb::ui {

class Autosaver;
class CurvesPanel;
class JobLauncher;
class JobQueue;
class JobsDock;
class TakesPanel;
class FarmJobsPanel;
class PlaybackController;
class PreviewRenderer;
class PreviewWidget;
class ProcessJob;
class ProjectDocument;
class RelinkDialog;
class ShotPanel;
class StageView;
class SubjectPanel;
class TimelineWidget;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /** `autosaveFolder` empty = AppSettings::autosaveFolder(). */
    explicit MainWindow(QWidget* parent = nullptr, const QString& autosaveFolder = QString());
    ~MainWindow() override;

    ProjectDocument* document() const { return m_document; }
    StageView* stage() const { return m_stage; }
    TimelineWidget* timeline() const { return m_timeline; }
    CurvesPanel* curves() const { return m_curves; }
    ShotPanel* shotPanel() const { return m_shotPanel; }
    SubjectPanel* subjectPanel() const { return m_subjectPanel; }
    PreviewWidget* previewWidget() const { return m_previewWidget; }
    PreviewRenderer* previewRenderer() const { return m_previewRenderer; }
    PlaybackController* playback() const { return m_playback; }
    Autosaver* autosaver() const { return m_autosaver; }
    JobQueue* jobQueue() const { return m_jobQueue; }
    JobsDock* jobsDock() const { return m_jobsDock; }
    TakesPanel* takesPanel() const { return m_takesPanel; }
    /** The Farm Jobs dock: "Render on farm…" and the Slurm jobs it watches. */
    FarmJobsPanel* farmPanel() const { return m_farmPanel; }
    /** Starts takes, fine-tuning and model conversions (separate process or in-process, Preferences). */
    JobLauncher* jobLauncher() const { return m_jobLauncher; }
    QAction* fineTuneAction() const { return m_fineTuneAction; }
    QAction* renderTakeAction() const { return m_renderTakeAction; }
    /** File ▸ Open Recent (filled when it is about to show). */
    QMenu* recentMenu() const { return m_recentMenu; }
    /** The dialog listing the opened project's missing files and relinking them, while it is open. */
    RelinkDialog* relinkDialog() const;

    /** Opens a project file; on failure shows (or, with `quiet`, only returns) the error. When files the
     *  project refers to are missing (and not `quiet`), lists them and offers to relink them
     *  (relinkDialog()). */
    bool openProject(const QString& path, bool quiet = false, QString* error = nullptr);
    /** Saves to the current file (Save As when there is none). */
    bool save();
    /** Saves under `path`, or asks for one when empty. */
    bool saveAs(const QString& path = QString());
    /** Offers the autosave copies of sessions that did not close cleanly. Returns true if one was recovered.
     */
    bool offerRecovery();
    /** Asks to save unsaved changes; false when the user cancels. */
    bool maybeSave();

public Q_SLOTS:
    void newProject();
    void openDialog();
    void showExportDialog();
    void showPreferences();
    void addKeyframe();
    void deleteKeyframe();
    /** Queues `motionbooth-cli animatic` on the project (saved, or a temporary copy) as a background job. */
    void renderAnimaticInBackground();
    /** "Render Take…" / "Render Variations…": the render dialog (count, size, frames, steps, sampler,
     *  precision, estimated time), then renderVariations() with its choices. */
    void showRenderDialog(int count = 1);
    /** Queues `count` `motionbooth-cli render` jobs with seeds firstSeed, firstSeed + 1, …, with the draft
     *  `options` (none = the shot's settings); each finished one becomes a take (undoable) and records its
     *  time for the render dialog's estimate. While a take renders, the Preview shows its step previews
     *  (unless the artist plays a take meanwhile); a finished one then plays there. */
    void renderVariations(int count, quint64 firstSeed, const mb::ui::RenderOptions& options = {});
    /** "Fine-tune subjects…": asks for the step count (and to save), then queues the training job whose
     *  checkpoint the project then renders with (undoable). */
    void fineTuneSubjects();
    /** Plays a take in the Preview dock. */
    void playTake(const QString& videoPath, quint64 seed);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createToolBars();
    void createDocks();
    void createStatusBar();
    void updateTitle();
    void updateRecentMenu();
    /** Lists the project's missing files and offers to relink them (nothing when none is missing). */
    void offerRelinking();
    void updateFrameLabel();
    /** Asks motionbooth-cli --help (asynchronously) which job kinds it offers. */
    void probeCli();
    /** The project file a job reads: the saved file when it is up to date, else a temporary copy. Empty
     * (after a message) on failure. */
    QString projectFileForJob();
    QAction* makeAction(const QString& text, const QString& icon, const QKeySequence& shortcut,
                        const QString& tip);
    /** Shows `job`'s latest step preview in the Preview dock. */
    void showJobPreview(ProcessJob* job);
    /** Plays a take in the Preview without changing whether it follows the renders. */
    void showTake(const QString& videoPath, quint64 seed);

    ProjectDocument* m_document;
    PreviewRenderer* m_previewRenderer;
    PlaybackController* m_playback;
    Autosaver* m_autosaver;
    StageView* m_stage;
    TimelineWidget* m_timeline = nullptr;
    CurvesPanel* m_curves = nullptr;
    ShotPanel* m_shotPanel = nullptr;
    SubjectPanel* m_subjectPanel = nullptr;
    PreviewWidget* m_previewWidget = nullptr;
    JobQueue* m_jobQueue = nullptr;
    JobsDock* m_jobsDock = nullptr;
    TakesPanel* m_takesPanel = nullptr;
    FarmJobsPanel* m_farmPanel = nullptr;
    JobLauncher* m_jobLauncher = nullptr;
    QAction* m_fineTuneAction = nullptr;
    QAction* m_renderTakeAction = nullptr;
    QDockWidget* m_previewDock = nullptr;
    /** Whether the Preview follows the rendering takes (off once the artist plays a take meanwhile). */
    bool m_previewFollowsRenders = true;
    /** The job whose step previews the Preview shows. */
    QPointer<ProcessJob> m_previewJob;
    QPointer<RelinkDialog> m_relinkDialog;
    /** Counts project replacements (new/open/recover): a take that finishes after its project was replaced
     *  is not added to the project that replaced it. */
    quint64 m_projectGeneration = 0;
    QDockWidget* m_jobsDockWidget = nullptr;
    QString m_cliProgram;
    QProcess* m_cliProbe = nullptr; ///< `motionbooth-cli --help` while it runs
    QMenu* m_recentMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QLabel* m_frameLabel = nullptr;
    QLabel* m_hoverLabel = nullptr;

    QAction *m_newAction, *m_openAction, *m_saveAction, *m_saveAsAction, *m_exportAction, *m_prefsAction,
        *m_quitAction, *m_renderAnimaticAction;
    QAction *m_undoAction, *m_redoAction, *m_copyKeyAction, *m_pasteKeyAction, *m_addKeyAction,
        *m_deleteKeyAction;
    QAction *m_selectToolAction, *m_boxToolAction, *m_onionAction, *m_pathsAction, *m_snapAction,
        *m_cameraAction, *m_animaticAction;
    QAction *m_playAction, *m_nextFrameAction, *m_prevFrameAction, *m_startAction, *m_endAction,
        *m_loopAction;
};

} // namespace mb::ui
