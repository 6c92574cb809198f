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
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
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

    /** Adds image files to the selected subject (a new subject when there is none). Returns how many. */
    int addPhotos(const QStringList& paths);
    /** Starts automatic masks for the selected subject's photos (`onlyUnmasked` skips masked ones). */
    void autoMaskAll(bool onlyUnmasked = false);
    /** Cancels the running and queued mask jobs. */
    void cancelJobs();
    bool isBusy() const { return m_running != nullptr; }
    /** The folder masks are written to. */
    QString maskFolder() const;
    MaskEditor* maskEditor() const { return m_editor; }
    QListWidget* photoList() const { return m_photos; }
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
    void addSubjectClicked();
    void removeSubjectClicked();
    void commitSubjectFields();
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

    QThread m_thread;
    QList<MaskRequest> m_queue;
    QPointer<MaskJob> m_running;
    bool m_refreshing = false;
};

} // namespace mb::ui
