#include "ui/main_window.h"

#include "doc/project_io.h"
#include "doc/subject_identifiers.h"
#include "ui/app_settings.h"
#include "ui/autosaver.h"
#include "ui/curves_panel.h"
#include "ui/export_dialog.h"
#include "ui/farm_jobs_panel.h"
#include "ui/in_process_job.h"
#include "ui/job_launcher.h"
#include "ui/job_queue.h"
#include "ui/jobs_dock.h"
#include "ui/memory_status_label.h"
#include "ui/playback_controller.h"
#include "ui/preview_renderer.h"
#include "ui/preview_widget.h"
#include "ui/process_job.h"
#include "ui/project_document.h"
#include "ui/recent_labels.h"
#include "ui/relink_dialog.h"
#include "ui/render_dialog.h"
#include "ui/settings_dialog.h"
#include "ui/shot_panel.h"
#include "ui/stage_view.h"
#include "ui/subject_panel.h"
#include "ui/takes_panel.h"
#include "ui/timeline_widget.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QUndoStack>
#include <QUndoView>
#include <QVBoxLayout>

namespace mb::ui {

namespace {
QIcon icon(const QString& name) {
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(name));
}
} // namespace

MainWindow::MainWindow(QWidget* parent, const QString& autosaveFolder) : QMainWindow(parent) {
    setObjectName(QStringLiteral("MainWindow"));
    setWindowIcon(icon(QStringLiteral("motionbooth")));
    m_document = new ProjectDocument(this);
    m_previewRenderer = new PreviewRenderer(m_document, this);
    m_playback = new PlaybackController(m_document, this);
    m_autosaver = new Autosaver(
        m_document, autosaveFolder.isEmpty() ? AppSettings::autosaveFolder() : autosaveFolder, this);
    m_autosaver->setIntervalSeconds(AppSettings::autosaveIntervalSeconds());
    m_jobQueue = new JobQueue(this);
    m_jobLauncher = new JobLauncher(m_document, m_jobQueue, this, this);
    m_cliProgram = cliProgram();

    m_stage = new StageView(m_document, m_previewRenderer, this);
    setCentralWidget(m_stage);

    createActions();
    createDocks();
    createMenus();
    createToolBars();
    createStatusBar();

    connect(m_document, &ProjectDocument::projectReplaced, this, [this] {
        ++m_projectGeneration;
        m_previewJob = nullptr; // the Preview clears itself; renders of the old project no longer show there
    });
    connect(m_document, &ProjectDocument::modifiedChanged, this, [this] { updateTitle(); });
    connect(m_document, &ProjectDocument::filePathChanged, this, [this] { updateTitle(); });
    connect(m_document, &ProjectDocument::currentFrameChanged, this, [this] { updateFrameLabel(); });
    connect(m_document, &ProjectDocument::changed, this, [this] { updateFrameLabel(); });
    connect(m_autosaver, &Autosaver::autosaved, this, [this] {
        statusBar()->showMessage(
            tr("Autosaved at %1").arg(QTime::currentTime().toString(QStringLiteral("HH:mm"))), 3000);
    });
    connect(m_autosaver, &Autosaver::failed, this,
            [this](const QString& m) { statusBar()->showMessage(m, 8000); });
    updateTitle();
    updateFrameLabel();
    // As large as is comfortable, but never beyond the screen (the editor fits 1366×768).
    QSize size(1440, 900);
    if (const QScreen* s = screen())
        size = size.boundedTo(s->availableGeometry().size());
    resize(size);
    QTimer::singleShot(0, this, &MainWindow::probeCli);
}

MainWindow::~MainWindow() {
    // Children still running must not report into a window that is being torn down.
    if (m_cliProbe) {
        m_cliProbe->disconnect();
        m_cliProbe->kill();
        m_cliProbe->waitForFinished(1000);
        delete m_cliProbe;
    }
    // Running jobs are killed when the queue, a child, is deleted (each job disconnects itself first).
    m_jobQueue->disconnect();
}

QAction* MainWindow::makeAction(const QString& text, const QString& iconName, const QKeySequence& shortcut,
                                const QString& tip) {
    auto* a = new QAction(text, this);
    if (!iconName.isEmpty())
        a->setIcon(icon(iconName));
    if (!shortcut.isEmpty())
        a->setShortcut(shortcut);
    a->setToolTip(shortcut.isEmpty()
                      ? tip
                      : QStringLiteral("%1 (%2)").arg(tip, shortcut.toString(QKeySequence::NativeText)));
    a->setStatusTip(tip);
    addAction(a); // shortcuts work while the action's menu is closed and even with its toolbar hidden
    return a;
}

void MainWindow::createActions() {
    m_newAction = makeAction(tr("&New"), QStringLiteral("new"), QKeySequence::New, tr("Start a new project"));
    m_openAction =
        makeAction(tr("&Open\u2026"), QStringLiteral("open"), QKeySequence::Open, tr("Open a project"));
    m_saveAction =
        makeAction(tr("&Save"), QStringLiteral("save"), QKeySequence::Save, tr("Save the project"));
    m_saveAsAction =
        makeAction(tr("Save &As\u2026"), QString(), QKeySequence::SaveAs, tr("Save under a new name"));
    m_exportAction = makeAction(tr("&Export\u2026"), QStringLiteral("export"), QKeySequence(tr("Ctrl+E")),
                                tr("Export the animatic as MP4, PNG sequence or GIF"));
    m_prefsAction =
        makeAction(tr("&Preferences\u2026"), QStringLiteral("settings"), QKeySequence(tr("Ctrl+,")),
                   tr("Model folder, threads, device, autosave, language"));
    m_renderAnimaticAction =
        makeAction(tr("Render &Animatic in Background"), QStringLiteral("camera"), QKeySequence(),
                   tr("Render the animatic to MP4 with motionbooth-cli as a job in the Jobs dock"));
    connect(m_renderAnimaticAction, &QAction::triggered, this, &MainWindow::renderAnimaticInBackground);
    m_fineTuneAction = makeAction(tr("&Fine-tune Subjects…"), QString(), QKeySequence(),
                                  tr("Learn the subjects from their photos (MotionBooth subject learning); "
                                     "later renders use the checkpoint"));
    m_fineTuneAction->setObjectName(QStringLiteral("FineTuneSubjectsAction"));
    m_renderTakeAction =
        makeAction(tr("Render &Take\u2026"), QString(), QKeySequence(tr("Ctrl+R")),
                   tr("Generate takes of the shot with the diffusion model: choose size, length, steps, "
                      "sampler and precision, with the time it will take"));
    m_renderTakeAction->setObjectName(QStringLiteral("RenderTakeAction"));
    connect(m_renderTakeAction, &QAction::triggered, this, [this] { showRenderDialog(1); });
    connect(m_fineTuneAction, &QAction::triggered, this, &MainWindow::fineTuneSubjects);
    m_quitAction = makeAction(tr("&Quit"), QString(), QKeySequence::Quit, tr("Quit MotionBooth Studio"));
    connect(m_newAction, &QAction::triggered, this, &MainWindow::newProject);
    connect(m_openAction, &QAction::triggered, this, &MainWindow::openDialog);
    connect(m_saveAction, &QAction::triggered, this, &MainWindow::save);
    connect(m_saveAsAction, &QAction::triggered, this, [this] { saveAs(); });
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::showExportDialog);
    connect(m_prefsAction, &QAction::triggered, this, &MainWindow::showPreferences);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    QUndoStack* stack = m_document->undoStack();
    m_undoAction = stack->createUndoAction(this, tr("&Undo"));
    m_undoAction->setIcon(icon(QStringLiteral("undo")));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_redoAction = stack->createRedoAction(this, tr("&Redo"));
    m_redoAction->setIcon(icon(QStringLiteral("redo")));
    m_redoAction->setShortcuts({QKeySequence::Redo, QKeySequence(tr("Ctrl+Y"))});
    addAction(m_undoAction);
    addAction(m_redoAction);
    m_copyKeyAction =
        makeAction(tr("&Copy Keyframe"), QString(), QKeySequence::Copy, tr("Copy the selected keyframe"));
    m_pasteKeyAction = makeAction(tr("&Paste Keyframe"), QString(), QKeySequence::Paste,
                                  tr("Paste the keyframe at the playhead"));
    m_addKeyAction = makeAction(tr("Add &Keyframe"), QStringLiteral("keyframe"), QKeySequence(Qt::Key_K),
                                tr("Add a keyframe at the playhead on the selected track"));
    m_deleteKeyAction = makeAction(tr("&Delete Keyframe"), QStringLiteral("keyframe-delete"),
                                   QKeySequence::Delete, tr("Delete the selected keyframe"));
    connect(m_copyKeyAction, &QAction::triggered, this, [this] { m_timeline->copySelectedKey(); });
    connect(m_pasteKeyAction, &QAction::triggered, this, [this] { m_timeline->pasteKeyAtPlayhead(); });
    connect(m_addKeyAction, &QAction::triggered, this, &MainWindow::addKeyframe);
    connect(m_deleteKeyAction, &QAction::triggered, this, &MainWindow::deleteKeyframe);

    m_selectToolAction = makeAction(tr("&Select"), QStringLiteral("select"), QKeySequence(Qt::Key_V),
                                    tr("Select, move and resize boxes"));
    m_boxToolAction = makeAction(tr("Draw &Box"), QStringLiteral("draw-box"), QKeySequence(Qt::Key_B),
                                 tr("Draw a subject box (Ctrl+drag works with any tool)"));
    auto* tools = new QActionGroup(this);
    for (QAction* a : {m_selectToolAction, m_boxToolAction}) {
        a->setCheckable(true);
        tools->addAction(a);
    }
    m_selectToolAction->setChecked(true);
    connect(m_selectToolAction, &QAction::triggered, this,
            [this] { m_stage->setTool(StageView::Tool::Select); });
    connect(m_boxToolAction, &QAction::triggered, this,
            [this] { m_stage->setTool(StageView::Tool::DrawBox); });
    connect(m_stage, &StageView::toolChanged, this, [this](StageView::Tool t) {
        (t == StageView::Tool::Select ? m_selectToolAction : m_boxToolAction)->setChecked(true);
    });

    m_onionAction = makeAction(tr("&Onion Skin"), QStringLiteral("onion-skin"), QKeySequence(Qt::Key_O),
                               tr("Show ghosts of the neighbouring frames' boxes"));
    m_pathsAction = makeAction(tr("Motion &Paths"), QStringLiteral("motion-path"), QKeySequence(Qt::Key_P),
                               tr("Show each box centre's path with one dot per frame"));
    m_snapAction =
        makeAction(tr("S&napping"), QStringLiteral("snap"), QKeySequence(tr("Shift+S")),
                   tr("Snap box edges to the frame, thirds and other boxes (hold Alt to override)"));
    m_cameraAction = makeAction(tr("&Camera Arrow"), QStringLiteral("camera-arrow"), QKeySequence(Qt::Key_C),
                                tr("Show the camera pan arrow; drag its tip to set the pan"));
    m_animaticAction = makeAction(tr("&Animatic Behind Stage"), QStringLiteral("camera"), QKeySequence(),
                                  tr("Draw the live animatic behind the boxes"));
    for (QAction* a : {m_onionAction, m_pathsAction, m_snapAction, m_cameraAction, m_animaticAction}) {
        a->setCheckable(true);
        a->setChecked(true);
    }
    connect(m_onionAction, &QAction::toggled, m_stage, &StageView::setOnionSkin);
    connect(m_pathsAction, &QAction::toggled, m_stage, &StageView::setMotionPaths);
    connect(m_snapAction, &QAction::toggled, m_stage, &StageView::setSnapping);
    connect(m_cameraAction, &QAction::toggled, m_stage, &StageView::setCameraArrow);
    connect(m_animaticAction, &QAction::toggled, m_stage, &StageView::setAnimaticBackground);

    m_playAction =
        makeAction(tr("&Play"), QStringLiteral("play"), QKeySequence(Qt::Key_Space), tr("Play / pause"));
    m_nextFrameAction = makeAction(tr("&Next Frame"), QStringLiteral("step-forward"),
                                   QKeySequence(Qt::Key_Right), tr("Next frame"));
    m_prevFrameAction = makeAction(tr("P&revious Frame"), QStringLiteral("step-back"),
                                   QKeySequence(Qt::Key_Left), tr("Previous frame"));
    m_startAction = makeAction(tr("&First Frame"), QStringLiteral("to-start"), QKeySequence(Qt::Key_Home),
                               tr("Go to the first frame"));
    m_endAction =
        makeAction(tr("&Last Frame"), QString(), QKeySequence(Qt::Key_End), tr("Go to the last frame"));
    m_loopAction =
        makeAction(tr("&Loop"), QStringLiteral("loop"), QKeySequence(Qt::Key_L), tr("Loop playback"));
    m_loopAction->setCheckable(true);
    m_loopAction->setChecked(m_playback->loops());
    connect(m_playAction, &QAction::triggered, m_playback, &PlaybackController::togglePlay);
    connect(m_nextFrameAction, &QAction::triggered, m_playback, &PlaybackController::stepForward);
    connect(m_prevFrameAction, &QAction::triggered, m_playback, &PlaybackController::stepBackward);
    connect(m_startAction, &QAction::triggered, m_playback, &PlaybackController::goToStart);
    connect(m_endAction, &QAction::triggered, m_playback, &PlaybackController::goToEnd);
    connect(m_loopAction, &QAction::toggled, m_playback, &PlaybackController::setLoop);
    connect(m_playback, &PlaybackController::playingChanged, this, [this](bool playing) {
        m_playAction->setIcon(icon(playing ? QStringLiteral("pause") : QStringLiteral("play")));
        m_playAction->setText(playing ? tr("&Pause") : tr("&Play"));
    });
}

void MainWindow::createDocks() {
    setDockNestingEnabled(true);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);

    // Timeline with its transport bar.
    auto* timelineBox = new QWidget(this);
    auto* tl = new QVBoxLayout(timelineBox);
    tl->setContentsMargins(0, 0, 0, 0);
    tl->setSpacing(0);
    auto* transport = new QToolBar(tr("Transport"), timelineBox);
    transport->setIconSize(QSize(18, 18));
    transport->addAction(m_startAction);
    transport->addAction(m_prevFrameAction);
    transport->addAction(m_playAction);
    transport->addAction(m_nextFrameAction);
    transport->addAction(m_loopAction);
    transport->addSeparator();
    transport->addAction(m_addKeyAction);
    transport->addAction(m_deleteKeyAction);
    tl->addWidget(transport);
    m_timeline = new TimelineWidget(m_document, timelineBox);
    tl->addWidget(m_timeline, 1);
    auto* timelineDock = new QDockWidget(tr("Timeline"), this);
    timelineDock->setObjectName(QStringLiteral("TimelineDock"));
    timelineDock->setWidget(timelineBox);
    addDockWidget(Qt::BottomDockWidgetArea, timelineDock);

    m_curves = new CurvesPanel(m_document, this);
    auto* curvesDock = new QDockWidget(tr("Curves"), this);
    curvesDock->setObjectName(QStringLiteral("CurvesDock"));
    curvesDock->setWidget(m_curves);
    addDockWidget(Qt::BottomDockWidgetArea, curvesDock);
    splitDockWidget(timelineDock, curvesDock, Qt::Horizontal);

    // Preview, with the take player's controls (shown while a take plays).
    auto* previewBox = new QWidget(this);
    auto* pl = new QVBoxLayout(previewBox);
    pl->setContentsMargins(0, 0, 0, 0);
    pl->setSpacing(0);
    m_previewWidget = new PreviewWidget(m_document, m_previewRenderer, previewBox);
    pl->addWidget(m_previewWidget, 1);
    auto* playerBar = new QToolBar(tr("Take player"), previewBox);
    playerBar->setIconSize(QSize(16, 16));
    auto* compare = new QComboBox(playerBar);
    compare->addItem(tr("Take only"), int(PreviewWidget::CompareMode::Off));
    compare->addItem(tr("Side by side with animatic"), int(PreviewWidget::CompareMode::SideBySide));
    compare->addItem(tr("Onion over animatic"), int(PreviewWidget::CompareMode::Onion));
    compare->setToolTip(tr("Compare the take with the animatic"));
    playerBar->addWidget(compare);
    playerBar->addAction(tr("Back to Animatic"), m_previewWidget, &PreviewWidget::stopTake);
    playerBar->hide();
    pl->addWidget(playerBar);
    connect(compare, qOverload<int>(&QComboBox::currentIndexChanged), this, [this, compare] {
        m_previewWidget->setCompareMode(PreviewWidget::CompareMode(compare->currentData().toInt()));
    });
    connect(m_previewWidget, &PreviewWidget::takeModeChanged, playerBar, &QWidget::setVisible);
    auto* previewDock = new QDockWidget(tr("Preview"), this);
    previewDock->setObjectName(QStringLiteral("PreviewDock"));
    previewDock->setWidget(previewBox);
    addDockWidget(Qt::RightDockWidgetArea, previewDock);
    m_previewDock = previewDock;

    m_shotPanel = new ShotPanel(m_document, this);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_shotPanel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* propsDock = new QDockWidget(tr("Properties"), this);
    propsDock->setObjectName(QStringLiteral("PropertiesDock"));
    propsDock->setWidget(scroll);
    addDockWidget(Qt::RightDockWidgetArea, propsDock);

    m_subjectPanel = new SubjectPanel(m_document, this);
    // In a scroll area, like the properties: the panel (photos, mask editor) is taller than the space a
    // 1366×768 screen leaves beside the timeline.
    auto* subjectsScroll = new QScrollArea(this);
    subjectsScroll->setWidget(m_subjectPanel);
    subjectsScroll->setWidgetResizable(true);
    subjectsScroll->setFrameShape(QFrame::NoFrame);
    auto* subjectsDock = new QDockWidget(tr("Subjects"), this);
    subjectsDock->setObjectName(QStringLiteral("SubjectsDock"));
    subjectsDock->setWidget(subjectsScroll);
    addDockWidget(Qt::LeftDockWidgetArea, subjectsDock);

    m_takesPanel = new TakesPanel(m_document, this);
    auto* takesDock = new QDockWidget(tr("Takes"), this);
    takesDock->setObjectName(QStringLiteral("TakesDock"));
    takesDock->setWidget(m_takesPanel);
    addDockWidget(Qt::LeftDockWidgetArea, takesDock);
    tabifyDockWidget(subjectsDock, takesDock);
    subjectsDock->raise();
    connect(m_takesPanel, &TakesPanel::playRequested, this, &MainWindow::playTake);
    connect(m_takesPanel, &TakesPanel::renderRequested, this, [this] { showRenderDialog(4); });

    m_jobsDock = new JobsDock(m_jobQueue, this);
    auto* jobsDock = new QDockWidget(tr("Jobs"), this);
    jobsDock->setObjectName(QStringLiteral("JobsDock"));
    jobsDock->setWidget(m_jobsDock);
    addDockWidget(Qt::BottomDockWidgetArea, jobsDock);
    tabifyDockWidget(curvesDock, jobsDock);
    curvesDock->raise();
    m_jobsDockWidget = jobsDock;

    // Render farm: a dock of its own beside the Jobs dock (its submissions run in the same job queue).
    m_farmPanel = new FarmJobsPanel(m_document, m_jobQueue, this);
    m_farmPanel->setCliProgram(m_cliProgram);
    m_farmPanel->setProjectFileProvider([this] { return projectFileForJob(); });
    auto* farmDock = new QDockWidget(tr("Farm Jobs"), this);
    farmDock->setObjectName(QStringLiteral("FarmJobsDock"));
    farmDock->setWidget(m_farmPanel);
    addDockWidget(Qt::BottomDockWidgetArea, farmDock);
    tabifyDockWidget(jobsDock, farmDock);
    curvesDock->raise(); // the curves are what a new window shows in that area, not an empty job list
    connect(m_farmPanel, &FarmJobsPanel::submissionQueued, this, [farmDock] { farmDock->show(); });
    m_farmPanel->restoreJobs();

    auto* historyDock = new QDockWidget(tr("History"), this);
    historyDock->setObjectName(QStringLiteral("HistoryDock"));
    auto* undoView = new QUndoView(m_document->undoStack(), historyDock);
    undoView->setEmptyLabel(tr("<opened>"));
    historyDock->setWidget(undoView);
    addDockWidget(Qt::RightDockWidgetArea, historyDock);
    tabifyDockWidget(propsDock, historyDock);
    propsDock->raise();

    resizeDocks({subjectsDock}, {300}, Qt::Horizontal);
    resizeDocks({propsDock}, {340}, Qt::Horizontal);
    resizeDocks({timelineDock}, {230}, Qt::Vertical);
    resizeDocks({previewDock}, {240}, Qt::Vertical);
    resizeDocks({timelineDock, curvesDock}, {700, 400}, Qt::Horizontal);

    m_viewMenu = new QMenu(tr("&View"), this);
    for (QDockWidget* d :
         {timelineDock, curvesDock, previewDock, propsDock, subjectsDock, takesDock, jobsDock, historyDock})
        m_viewMenu->addAction(d->toggleViewAction());
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_newAction);
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::updateRecentMenu);
    updateRecentMenu();
    file->addSeparator();
    file->addAction(m_saveAction);
    file->addAction(m_saveAsAction);
    file->addSeparator();
    file->addAction(m_exportAction);
    file->addAction(m_renderAnimaticAction);
    file->addAction(m_renderTakeAction);
    file->addAction(m_fineTuneAction);
    file->addAction(m_farmPanel->renderOnFarmAction());
    file->addSeparator();
    file->addAction(m_prefsAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_undoAction);
    edit->addAction(m_redoAction);
    edit->addSeparator();
    edit->addAction(m_addKeyAction);
    edit->addAction(m_deleteKeyAction);
    edit->addAction(m_copyKeyAction);
    edit->addAction(m_pasteKeyAction);

    QMenu* stageMenu = menuBar()->addMenu(tr("&Stage"));
    stageMenu->addAction(m_selectToolAction);
    stageMenu->addAction(m_boxToolAction);
    stageMenu->addSeparator();
    stageMenu->addAction(m_onionAction);
    stageMenu->addAction(m_pathsAction);
    stageMenu->addAction(m_cameraAction);
    stageMenu->addAction(m_snapAction);
    stageMenu->addAction(m_animaticAction);
    stageMenu->addSeparator();
    stageMenu->addAction(tr("Set &Background Photo\u2026"), m_shotPanel, &ShotPanel::chooseBackgroundPhoto);
    stageMenu->addAction(tr("&Remove Background Photo"), m_shotPanel, &ShotPanel::clearBackgroundPhoto);

    QMenu* play = menuBar()->addMenu(tr("&Playback"));
    play->addAction(m_playAction);
    play->addAction(m_prevFrameAction);
    play->addAction(m_nextFrameAction);
    play->addAction(m_startAction);
    play->addAction(m_endAction);
    play->addAction(m_loopAction);

    menuBar()->addMenu(m_viewMenu);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About MotionBooth Studio"), this, [this] {
        QMessageBox::about(
            this, tr("About MotionBooth Studio"),
            tr("<h3>MotionBooth Studio %1</h3><p>Customised text-to-video with box-controlled subject "
               "motion and camera pans.</p>")
                .arg(QStringLiteral(MB_VERSION_STRING)));
    });
}

void MainWindow::createToolBars() {
    QToolBar* main = addToolBar(tr("Main"));
    main->setObjectName(QStringLiteral("MainToolBar"));
    main->setIconSize(QSize(20, 20));
    main->setMovable(false);
    main->addAction(m_newAction);
    main->addAction(m_openAction);
    main->addAction(m_saveAction);
    main->addSeparator();
    main->addAction(m_undoAction);
    main->addAction(m_redoAction);
    main->addSeparator();
    main->addAction(m_selectToolAction);
    main->addAction(m_boxToolAction);
    main->addSeparator();
    main->addAction(m_onionAction);
    main->addAction(m_pathsAction);
    main->addAction(m_cameraAction);
    main->addAction(m_snapAction);
    main->addSeparator();
    main->addAction(m_exportAction);
}

void MainWindow::createStatusBar() {
    m_frameLabel = new QLabel(this);
    m_hoverLabel = new QLabel(this);
    m_hoverLabel->setMinimumWidth(130);
    statusBar()->addPermanentWidget(m_hoverLabel);
    statusBar()->addPermanentWidget(m_frameLabel);
    statusBar()->addPermanentWidget(new MemoryStatusLabel(this));
    connect(m_stage, &StageView::hoverPositionChanged, this, [this](const QPointF& n) {
        m_hoverLabel->setText(
            n.x() < 0 ? QString()
                      : tr("x %1%  y %2%").arg(n.x() * 100, 0, 'f', 1).arg(n.y() * 100, 0, 'f', 1));
    });
    statusBar()->showMessage(tr("Ready"), 2000);
}

void MainWindow::updateTitle() {
    setWindowTitle(tr("%1[*] \u2014 MotionBooth Studio").arg(m_document->displayName()));
    setWindowModified(m_document->isModified());
}

void MainWindow::updateFrameLabel() {
    const auto& shot = m_document->project().shot;
    m_frameLabel->setText(tr("Frame %1 / %2  \u2022  %3 fps")
                              .arg(m_document->currentFrame())
                              .arg(shot.frames - 1)
                              .arg(shot.fps, 0, 'g', 4));
}

void MainWindow::updateRecentMenu() {
    m_recentMenu->clear();
    const QStringList files = AppSettings::recentFiles();
    const QStringList labels = recentMenuLabels(files);
    for (int i = 0; i < files.size(); ++i) {
        const QString f = files[i];
        // (a literal '&' in a folder or file name would otherwise become a mnemonic)
        QString label = labels[i];
        QAction* a =
            m_recentMenu->addAction(label.replace(QLatin1Char('&'), QStringLiteral("&&")), this, [this, f] {
                if (maybeSave())
                    openProject(f);
            });
        a->setToolTip(f);
        a->setStatusTip(f);
    }
    if (files.isEmpty()) {
        m_recentMenu->addAction(tr("No recent projects"))->setEnabled(false);
    } else {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear List"), this, [] { AppSettings::clearRecentFiles(); });
    }
}

void MainWindow::newProject() {
    if (!maybeSave())
        return;
    m_document->resetProject(makeNewProject(), QString());
}

void MainWindow::openDialog() {
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), m_document->projectFolder(),
                                                      tr("MotionBooth projects (*.mbproj)"));
    if (!path.isEmpty())
        openProject(path);
}

bool MainWindow::openProject(const QString& path, bool quiet, QString* error) {
    try {
        m_document->load(path);
    } catch (const std::exception& e) {
        const QString message = QString::fromStdString(e.what());
        if (error)
            *error = message;
        if (!quiet)
            QMessageBox::warning(this, tr("Cannot open project"),
                                 tr("%1 could not be opened:\n\n%2").arg(path, message));
        return false;
    }
    AppSettings::addRecentFile(path);
    statusBar()->showMessage(tr("Opened %1").arg(QFileInfo(path).fileName()), 3000);
    if (!quiet)
        offerRelinking();
    return true;
}

RelinkDialog* MainWindow::relinkDialog() const {
    return m_relinkDialog;
}

void MainWindow::offerRelinking() {
    if (m_relinkDialog)
        m_relinkDialog->close();
    auto* dialog = new RelinkDialog(m_document, this);
    if (dialog->missingCount() == 0) {
        delete dialog;
        return;
    }
    // Not blocking: the project is open behind it, and the artist may look at it before relinking.
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    m_relinkDialog = dialog;
    dialog->open();
    statusBar()->showMessage(tr("%n file(s) of this project are missing", nullptr, dialog->missingCount()),
                             8000);
}

bool MainWindow::save() {
    if (m_document->filePath().isEmpty())
        return saveAs();
    return saveAs(m_document->filePath());
}

bool MainWindow::saveAs(const QString& requested) {
    QString path = requested;
    if (path.isEmpty()) {
        path = QFileDialog::getSaveFileName(this, tr("Save Project"),
                                            m_document->projectFolder() + QStringLiteral("/untitled.mbproj"),
                                            tr("MotionBooth projects (*.mbproj)"));
        if (path.isEmpty())
            return false;
        if (QFileInfo(path).suffix().isEmpty())
            path += QStringLiteral(".mbproj");
    }
    try {
        m_document->save(path);
    } catch (const std::exception& e) {
        QMessageBox::critical(this, tr("Cannot save project"), QString::fromStdString(e.what()));
        return false;
    }
    AppSettings::addRecentFile(path);
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 3000);
    return true;
}

bool MainWindow::maybeSave() {
    if (!m_document->isModified())
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved changes"), tr("Save the changes to %1?").arg(m_document->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save)
        return save();
    return true;
}

bool MainWindow::offerRecovery() {
    const auto pending = m_autosaver->pendingRecoveries();
    if (pending.empty())
        return false;
    const AutosaveInfo& newest = pending.front();
    const QString original =
        newest.originalPath.empty() ? tr("an unsaved project") : QString::fromStdString(newest.originalPath);
    QMessageBox box(
        QMessageBox::Question, tr("Recover unsaved work?"),
        tr("MotionBooth Studio did not close cleanly. An autosave of %1 from %2 exists.\n\nRecover it?")
            .arg(original, QString::fromStdString(newest.savedUtc)),
        QMessageBox::NoButton, this);
    QPushButton* recover = box.addButton(tr("Recover"), QMessageBox::AcceptRole);
    QPushButton* discard = box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
    box.addButton(tr("Later"), QMessageBox::RejectRole);
    box.exec();
    if (box.clickedButton() == discard) {
        for (const auto& p : pending)
            QFile::remove(QString::fromStdString(p.autosavePath));
        return false;
    }
    if (box.clickedButton() != recover)
        return false;
    try {
        m_autosaver->recover(newest);
    } catch (const std::exception& e) {
        QMessageBox::warning(this, tr("Recovery failed"), QString::fromStdString(e.what()));
        return false;
    }
    statusBar()->showMessage(tr("Recovered; save to keep the changes"), 5000);
    return true;
}

void MainWindow::showExportDialog() {
    ExportDialog dialog(m_document, this);
    dialog.exec();
}

void MainWindow::showPreferences() {
    SettingsDialog dialog(this);
    const QString modelBefore = AppSettings::modelFolder();
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_autosaver->setIntervalSeconds(AppSettings::autosaveIntervalSeconds());
    // A newly chosen model folder with only pickled .bin weights: offer to convert it (in the background).
    if (AppSettings::modelFolder() != modelBefore && m_jobLauncher->offerConversionOfSettingsFolder()) {
        m_jobsDockWidget->show();
        m_jobsDockWidget->raise();
    }
}

void MainWindow::fineTuneSubjects() {
    if (m_document->filePath().isEmpty() || m_document->isModified()) {
        const auto answer = QMessageBox::question(
            this, tr("Save before fine-tuning?"),
            tr("Fine-tuning reads the saved project and writes its checkpoint next to it. Save %1 now?")
                .arg(m_document->displayName()));
        if (answer != QMessageBox::Yes || !save())
            return;
    }
    // Two learned subjects under one identifier would be learned as one: give each its own first (undoable),
    // rather than have the training pick other words behind the artist's back.
    Project proposal = m_document->project();
    QStringList changes;
    for (Subject& s : proposal.subjects) {
        if (!s.learned)
            continue;
        const std::string other = subjectUsingIdentifier(proposal, s.identifier, s.id);
        const Subject* first = proposal.findSubject(other);
        if (other.empty() || !first || proposal.subjectIndex(other) > proposal.subjectIndex(s.id))
            continue; // unique, or the first of those sharing it (it keeps its word)
        const std::string free = freeSubjectIdentifier(proposal);
        if (free.empty())
            break;
        changes << tr("{%1}: %2 \u2192 %3")
                       .arg(QString::fromStdString(s.id), QString::fromStdString(s.identifier),
                            QString::fromStdString(free));
        s.identifier = free;
    }
    if (!changes.isEmpty()) {
        const auto answer = QMessageBox::question(
            this, tr("Subjects share an identifier"),
            tr("Each learned subject needs its own identifier, or fine-tuning learns them as one. Change "
               "these?\n\n%1")
                .arg(changes.join(QLatin1Char('\n'))));
        if (answer != QMessageBox::Yes)
            return;
        for (const Subject& s : proposal.subjects)
            if (const Subject* now = m_document->project().findSubject(s.id); now && *now != s)
                m_document->push(
                    setSubject(m_document->project(), s.id, s,
                               tr("Set identifier of %1").arg(QString::fromStdString(s.id)).toStdString()));
        if (!save())
            return;
    }
    bool ok = false;
    const int steps =
        QInputDialog::getInt(this, tr("Fine-tune Subjects"), tr("Training steps (the reference trains 300):"),
                             300, 1, 100000, 50, &ok);
    if (!ok)
        return;
    if (m_jobLauncher->fineTuneSubjects(steps)) {
        m_jobsDockWidget->show();
        m_jobsDockWidget->raise();
    }
}

void MainWindow::addKeyframe() {
    QString row = m_timeline->selectedRow();
    if (row.isEmpty())
        row = m_document->selectedSubject();
    if (row.isEmpty() || (row != QLatin1String(ProjectDocument::kCameraRow) &&
                          !m_document->project().findTrack(row.toStdString())))
        row = QLatin1String(ProjectDocument::kCameraRow);
    if (!m_timeline->addKeyAtPlayhead(row))
        statusBar()->showMessage(tr("There is a keyframe on this frame already"), 2000);
}

void MainWindow::deleteKeyframe() {
    if (!m_timeline->deleteSelectedKey())
        statusBar()->showMessage(tr("Select a keyframe in the timeline first (a track keeps its last key)"),
                                 3000);
}

void MainWindow::probeCli() {
    if (m_cliProgram.isEmpty()) {
        const QString why = tr("motionbooth-cli was not found next to the editor or on the PATH.");
        // Takes rendered inside the editor (Preferences → Run renders) need no motionbooth-cli.
        m_takesPanel->setRenderAvailable(AppSettings::runJobsInProcess(),
                                         AppSettings::runJobsInProcess() ? QString() : why);
        m_renderAnimaticAction->setEnabled(false);
        m_renderAnimaticAction->setToolTip(why);
        return;
    }
    auto* probe = new QProcess(this);
    m_cliProbe = probe;
    connect(probe, &QProcess::finished, this, [this, probe] {
        const QStringList commands = parseCliCommands(QString::fromUtf8(probe->readAllStandardOutput()));
        m_cliProbe = nullptr;
        probe->deleteLater();
        if (commands.contains(QStringLiteral("render")))
            m_takesPanel->setRenderAvailable(true);
        else
            m_takesPanel->setRenderAvailable(
                false,
                tr("This motionbooth-cli cannot render takes yet: its --help lists no \"render\" command "
                   "(it offers: %1).")
                    .arg(commands.join(QStringLiteral(", "))));
        if (!commands.contains(QStringLiteral("animatic"))) {
            m_renderAnimaticAction->setEnabled(false);
            m_renderAnimaticAction->setToolTip(tr("This motionbooth-cli has no \"animatic\" command."));
        }
    });
    connect(probe, &QProcess::errorOccurred, this, [this, probe](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        m_takesPanel->setRenderAvailable(false,
                                         tr("Cannot run %1: %2").arg(m_cliProgram, probe->errorString()));
        m_cliProbe = nullptr;
        probe->deleteLater();
    });
    probe->start(m_cliProgram, {QStringLiteral("--help")}, QIODevice::ReadOnly);
}

QString MainWindow::projectFileForJob() {
    if (!m_document->filePath().isEmpty() && !m_document->isModified())
        return m_document->filePath();
    // A snapshot: the job renders what the user sees now, and the user's file stays as they saved it.
    const QDir dir(QDir::temp().filePath(QStringLiteral("motionbooth-jobs")));
    const QString base = m_document->filePath().isEmpty()
                             ? QStringLiteral("untitled")
                             : QFileInfo(m_document->filePath()).completeBaseName();
    const QString path = dir.filePath(
        QStringLiteral("%1-%2.mbproj")
            .arg(base, QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-hhmmss-zzz"))));
    try {
        if (!QDir().mkpath(dir.path()))
            throw std::runtime_error(tr("cannot create the folder %1").arg(dir.path()).toStdString());
        saveProject(m_document->project(), path.toStdString());
        // Its masks must stay while the job may read them.
        m_document->keepReferencesOf(path, m_document->project());
    } catch (const std::exception& e) {
        QMessageBox::critical(
            this, tr("Cannot start the job"),
            tr("The project could not be written for the job:\n\n%1").arg(QString::fromStdString(e.what())));
        return {};
    }
    return path;
}

void MainWindow::renderAnimaticInBackground() {
    const QString project = projectFileForJob();
    if (project.isEmpty())
        return;
    const QString base = m_document->filePath().isEmpty()
                             ? QStringLiteral("animatic")
                             : QFileInfo(m_document->filePath()).completeBaseName();
    const QString out = QDir(m_document->projectFolder()).filePath(base + QStringLiteral("_animatic.mp4"));
    m_jobQueue->add(makeAnimaticJob(m_cliProgram, project, out));
    m_jobsDockWidget->show();
    m_jobsDockWidget->raise();
}

void MainWindow::showRenderDialog(int count) {
    if (!m_takesPanel->renderAvailable()) {
        QMessageBox::information(this, tr("Cannot render takes"), m_takesPanel->renderButton()->toolTip());
        return;
    }
    RenderDialog dialog(m_document, m_takesPanel->nextSeed(), count, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    renderVariations(dialog.takeCount(), dialog.firstSeed(), dialog.options());
}

void MainWindow::renderVariations(int count, quint64 firstSeed, const RenderOptions& options) {
    // First, so a model conversion the user accepts is queued before the takes that use it.
    InProcessJob* conversion = nullptr;
    const QString model = m_jobLauncher->modelFolderForJob(&conversion);
    const QString project = projectFileForJob();
    if (project.isEmpty())
        return;
    const QString base = m_document->filePath().isEmpty()
                             ? QStringLiteral("take")
                             : QFileInfo(m_document->filePath()).completeBaseName();
    const QDir dir(QDir(m_document->projectFolder()).filePath(QStringLiteral("takes")));
    if (!QDir().mkpath(dir.path())) {
        QMessageBox::critical(this, tr("Cannot render"), tr("Cannot create the folder %1").arg(dir.path()));
        return;
    }
    // Where the render dialog's estimate for these settings is kept (what the finished takes measure).
    const Shot& shot = m_document->project().shot;
    const QString estimateKey =
        RenderDialog::estimateKey(RenderDialog::modelFolderFor(m_document),
                                  QSize(options.width > 0 ? options.width : shot.width,
                                        options.height > 0 ? options.height : shot.height),
                                  options.frames > 0 ? options.frames : shot.frames, options.precision);
    m_previewFollowsRenders = true;
    for (int i = 0; i < count; ++i) {
        const quint64 seed = firstSeed + quint64(i);
        const QString out = dir.filePath(QStringLiteral("%1_seed%2.mp4").arg(base).arg(seed));
        ProcessJob* job = m_jobLauncher->makeRenderJob(project, out, seed, model, options);
        if (conversion)
            connect(conversion, &ProcessJob::ended, job, [job](ProcessJob::Status status) {
                if (status != ProcessJob::Status::Finished)
                    job->cancel(); // it would only fail on the missing converted folder
            });
        const quint64 generation = m_projectGeneration;
        connect(job, &ProcessJob::previewChanged, this, [this, job, generation] {
            if (m_previewFollowsRenders && generation == m_projectGeneration)
                showJobPreview(job);
        });
        connect(job, &ProcessJob::ended, this,
                [this, job, estimateKey, generation](ProcessJob::Status status) {
                    const bool shown = m_previewJob == job && m_previewWidget->isShowingStepPreview();
                    if (shown)
                        m_previewJob = nullptr;
                    if (status != ProcessJob::Status::Finished) {
                        if (shown)
                            m_previewWidget->clearStepPreview(); // no take: back to the animatic
                        return;
                    }
                    if (generation != m_projectGeneration) {
                        // Rendered for a project that is no longer open: it is not this project's take.
                        statusBar()->showMessage(
                            tr("A take of the previous project finished after it was closed: %1")
                                .arg(QDir::toNativeSeparators(job->outputPath())),
                            10000);
                        return;
                    }
                    Take take;
                    take.video = job->outputPath().toStdString();
                    // The render writes its sidecar (what reproduces the take) next to the video:
                    // `<video>.json`.
                    take.sidecar = (job->outputPath() + QStringLiteral(".json")).toStdString();
                    take.seed = job->tag();
                    take.createdUtc = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
                    m_document->push(addTake(take, tr("Add take (seed %1)").arg(take.seed).toStdString()));
                    RenderDialog::recordFinishedTake(estimateKey, QString::fromStdString(take.sidecar));
                    // The artist watched it take shape: now the take itself.
                    if (shown)
                        showTake(job->outputPath(), take.seed);
                });
        m_jobQueue->add(job);
    }
    m_jobsDockWidget->show();
    m_jobsDockWidget->raise();
}

void MainWindow::showJobPreview(ProcessJob* job) {
    if (!job || job->preview().isNull())
        return;
    if (m_previewJob != job) {
        m_previewJob = job;
        m_previewDock->show();
        m_previewDock->raise();
    }
    m_previewWidget->showStepPreview(
        job->preview(), job->previewFrames(),
        QStringLiteral("%1  \u2022  %2").arg(tr("Seed %1").arg(job->tag()), job->previewCaption()));
}

void MainWindow::showTake(const QString& videoPath, quint64 seed) {
    m_previewDock->show();
    m_previewDock->raise();
    if (!m_previewWidget->playTake(videoPath, m_document->project().shot.fps, tr("Seed %1").arg(seed)))
        statusBar()->showMessage(m_previewWidget->takeError(), 8000);
}

void MainWindow::playTake(const QString& videoPath, quint64 seed) {
    // The artist chose what to watch: the Preview stops following the takes that are rendering.
    if (m_jobQueue->runningJob())
        m_previewFollowsRenders = false;
    m_previewJob = nullptr;
    showTake(videoPath, seed);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    if (m_jobQueue->runningJob() || m_jobQueue->pendingCount() > 0) {
        const auto answer = QMessageBox::question(
            this, tr("Jobs running"), tr("Background jobs are still running. Cancel them and quit?"));
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_jobQueue->cancelAll();
    }
    m_playback->pause();
    // A clean close leaves no autosave behind: only a crash does.
    m_autosaver->discard();
    event->accept();
}

} // namespace mb::ui
