#pragma once
/**
 * \file takes_panel.h
 * \brief The Takes panel: the project's rendered takes as a grid of thumbnails (first frame) with seed and
 *        date. Double-click plays a take in the Preview dock; "Render Variations…" asks the main window for
 * the render dialog (how many takes with consecutive seeds, and with what), which queues the jobs.
 *
 * A selected take can be deleted (one undo step; its video stays on disk, so undo brings it back), exported
 * (a copy of the MP4, an animated GIF, or a PNG sequence) and shown in the file manager.
 *
 * Rendering needs `motionbooth-cli render`; until the CLI lists that command in its --help, the action stays
 * disabled with a tooltip that says why (setRenderAvailable()).
 */
#include <QHash>
#include <QIcon>
#include <QWidget>

class QLabel;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace mb::ui {

class ProjectDocument;

class TakesPanel : public QWidget {
    Q_OBJECT
public:
    explicit TakesPanel(ProjectDocument* document, QWidget* parent = nullptr);

    QListWidget* list() const { return m_list; }
    QPushButton* renderButton() const { return m_renderButton; }
    QPushButton* deleteButton() const { return m_deleteButton; }
    QPushButton* exportButton() const { return m_exportButton; }
    /** The project's index of the selected take, or -1. */
    int selectedTake() const;
    /**
     * Writes the selected take to `path`: a copy of its MP4 (".mp4"), an animated GIF (".gif") at the shot's
     * frame rate, or a PNG sequence ("name.png" → name_0000.png, name_0001.png, …). False with `error`
     * naming the file and the problem.
     */
    bool exportSelected(const QString& path, QString* error = nullptr);
    /** Enables "Render Variations…", or disables it with `reason` as its tooltip. */
    void setRenderAvailable(bool available, const QString& reason = QString());
    bool renderAvailable() const { return m_renderAvailable; }
    /** The seed the next variation starts from: one past the highest seed of the takes (1 with none). */
    quint64 nextSeed() const;

    /** The first frame of `videoPath`, scaled to the thumbnail size; a grey placeholder when it cannot be
     * read. */
    static QImage thumbnail(const QString& videoPath, const QSize& size);

    QSize sizeHint() const override { return {360, 260}; }

public Q_SLOTS:
    void rebuild();
    /** Emits renderRequested() when rendering is available. */
    void askRenderVariations();
    /** Removes the selected take from the project (undoable); the file is kept. */
    void deleteSelected();
    /** Asks where to export the selected take, then exportSelected(). */
    void chooseExport();
    /** Opens the selected take's folder in the file manager. */
    void revealSelected();

Q_SIGNALS:
    /** A take was double-clicked. */
    void playRequested(const QString& videoPath, quint64 seed);
    /** "Render Variations…": the render dialog should open, offering variations from nextSeed() on. */
    void renderRequested();

private:
    ProjectDocument* m_document;
    QListWidget* m_list;
    QLabel* m_empty;
    QPushButton* m_renderButton;
    QPushButton* m_deleteButton;
    QPushButton* m_exportButton;
    QPushButton* m_revealButton;
    void updateButtons();
    bool m_renderAvailable = false;
    QHash<QString, QIcon> m_thumbs; ///< by "path|mtime", so a re-rendered file gets a new thumbnail
};

} // namespace mb::ui
