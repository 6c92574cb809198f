#pragma once
/**
 * \file subject_panel.h
 * \brief The Subjects dock: subjects (class name, id, identifier, learned), their photos as thumbnails
 *        (decoded off the UI thread; import by drag-and-drop or a dialog; 3–10 recommended), automatic masks
 *        computed off the UI thread,
 *        and the mask editor (brush, eraser, rectangle refine).
 *
 * Masks are PNGs in a `masks/` folder next to the project (the user's documents until it is saved); every
 * mask edit writes a new file and an undoable subject change, so undo brings the previous mask back. The
 * document removes such files once no state within undo's reach and no saved project needs them
 * (ProjectDocument::removeUnneededGeneratedFiles).
 */
#include "ui/mask_job.h"

#include <QPointer>
#include <QThread>
#include <QThreadPool>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QMessageBox;
class QProgressBar;
class QPushButton;
class QSlider;

namespace mb::ui {

class MaskEditor;
class ProjectDocument;
class ThumbnailLoader;

class SubjectPanel : public QWidget {
    Q_OBJECT
public:
    explicit SubjectPanel(ProjectDocument* document, QWidget* parent = nullptr);
    ~SubjectPanel() override;

    /**
     * Adds image files to the selected subject (a new subject when there is none), as one undo step. Each
     * file is decoded first (mb::media::loadColorImage): one that does not decode, or is missing, is refused
     * and named in a warning (the status line and a message box), so a corrupt file never becomes a photo.
     * Small photos are checked at once; a batch with a big photo (ThumbnailLoader::isBigPhoto) is checked on
     * a worker and added when every file of it is checked. photosImported() follows either way. Files that
     * are not images by their extension are skipped. Returns how many photos are added or being checked.
     */
    int addPhotos(const QStringList& paths);
    /** True while a batch of photos is being checked on the worker. */
    bool isImporting() const { return m_importing > 0; }
    /** Starts automatic masks for the selected subject's photos (`onlyUnmasked` skips masked ones). */
    void autoMaskAll(bool onlyUnmasked = false);
    /**
     * The Auto-Mask button: masks the photos that have no mask yet. When some have one (painted and refined
     * masks among them), asks first: mask only the unmasked ones, re-mask all, or cancel. The question is a
     * window-modal message box that does not block (message()).
     */
    void autoMaskClicked();
    /** The message box the panel shows now (the Auto-Mask question or refused files), or nullptr. */
    QMessageBox* message() const;
    /** Cancels the running and queued mask jobs. */
    void cancelJobs();
    bool isBusy() const { return m_running != nullptr; }
    /** The folder masks are written to. */
    QString maskFolder() const;
    MaskEditor* maskEditor() const { return m_editor; }
    QListWidget* photoList() const { return m_photos; }
    QListWidget* subjectList() const { return m_subjects; }
    QLineEdit* identifierField() const { return m_identifier; }
    /** The line under the mask editor: what the last import, mask or edit said. */
    QLabel* statusLabel() const { return m_status; }
    /** "Add a subject": a new subject with its own identifier (the first of sks, ohwx, phol, hta no subject
     *  uses), selected, as one undo step. */
    void addSubjectClicked();
    /** Decodes the photo thumbnails off the UI thread. */
    ThumbnailLoader* thumbnailLoader() const { return m_thumbnails; }

    /** Item data of photoList() rows: the photo path, its mask path, and whether the icon is the real
     *  thumbnail yet (false while the placeholder shows). */
    static constexpr int kPhotoRole = Qt::UserRole + 1;
    static constexpr int kMaskRole = Qt::UserRole + 2;
    static constexpr int kThumbnailReadyRole = Qt::UserRole + 3;

Q_SIGNALS:
    /** Every queued job has ended (finished, failed or cancelled). */
    void jobsIdle();
    void jobFinished(int photoIndex, double seconds);
    void jobCancelled();
    void jobFailed(const QString& message);
    /** A batch of addPhotos() was checked: `added` photos joined the subject, `refused` says why others did
     *  not ("FILE: problem", one per file). */
    void photosImported(int added, const QStringList& refused);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void refreshSubjects();
    void refreshSubjectFields();
    void refreshPhotos();
    void showSelectedPhoto();
    void onThumbnailReady(const QString& photo, const QString& mask, const QImage& thumbnail);
    /** Puts a decoded photo and mask into the editor. */
    void showPhoto(const QString& photoPath, const QString& maskPath, const QImage& photo, const QImage& mask,
                   const QString& error);
    void removeSubjectClicked();
    void commitSubjectFields();
    /** Adds the checked photos to `subjectId` (or a new subject when it is gone) and reports the refused. */
    void finishImport(const QString& subjectId, const QStringList& accepted, const QStringList& refused);
    /** Shows `box` without blocking, replacing the previous message. */
    void showMessage(QMessageBox* box);
    /** Queues automatic masks for `subjectId`'s photos. */
    void autoMask(const QString& subjectId, bool onlyUnmasked);
    void removePhotoClicked();
    void enqueue(MaskRequest request);
    void startNext();
    void onMaskPainted();
    void onRectangleDrawn(const QRect& rect);
    void refineWithStrokes();
    /** Sets photo `index`'s mask of `subjectId` (one undo step). */
    void setPhotoMask(const QString& subjectId, int index, const QString& maskPath, const QString& label);
    QString newMaskPath(const QString& subjectId, const QString& photoPath) const;
    int selectedPhoto() const;

    ProjectDocument* m_document;
    QListWidget* m_subjects;
    QLineEdit* m_className;
    QLineEdit* m_id;
    QLineEdit* m_identifier;
    QCheckBox* m_learned;
    QListWidget* m_photos;
    QLabel* m_photoHint;
    MaskEditor* m_editor;
    QSlider* m_brushSize;
    QPushButton* m_autoButton;
    QPushButton* m_cancelButton;
    QPushButton* m_refineButton;
    QProgressBar* m_progress;
    QLabel* m_status;
    ThumbnailLoader* m_thumbnails;
    QString m_shownPhoto, m_shownMask; ///< what the mask editor shows (or is loading)
    bool m_photoLoading = false;       ///< a big photo is being decoded for the editor

    QPointer<QMessageBox> m_message;
    int m_importing = 0;      ///< batches being checked on m_importPool
    QThreadPool m_importPool; ///< own pool: the destructor waits for exactly the import checks

    QThread m_thread;
    QList<MaskRequest> m_queue;
    QPointer<MaskJob> m_running;
    bool m_refreshing = false;
};

} // namespace mb::ui
