#pragma once
/**
 * \file relink_dialog.h
 * \brief Missing files, as video editors handle them: the project opens, the dialog lists every photo, mask,
 *        background, take and sidecar that is not where the project says, and relinks them to a folder the
 *        artist picks (searched with its subfolders, matched by file name), as one undo step.
 *
 * The project file does not record file sizes, so a match is by name; where several files in the folder
 * share a name, the one whose folder path ends most like the missing file's wins (photos/toy.jpg beside a
 * photos/ folder rather than another toy.jpg elsewhere).
 */
#include <QDialog>
#include <QMap>
#include <QString>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace mb::ui {

class ProjectDocument;

class RelinkDialog : public QDialog {
    Q_OBJECT
public:
    /** Lists the missing files of `document`'s project as it is now. */
    explicit RelinkDialog(ProjectDocument* document, QWidget* parent = nullptr);

    /** How many files were missing when the dialog opened. */
    int missingCount() const;
    /** How many of the listed files were found. */
    int foundCount() const;
    QTreeWidget* list() const { return m_list; }
    QPushButton* relinkButton() const { return m_relink; }
    /**
     * Looks for the missing files in `folder` and its subfolders (at most kMaxSearchedFiles entries, so
     * picking a whole disk does not hang the editor). Returns how many of the listed files are found (in all
     * searches so far).
     */
    int searchFolder(const QString& folder);
    /** Missing path → where it was found. */
    QMap<QString, QString> matches() const { return m_matches; }
    /** Relinks the found files (one undo step) and closes the dialog. False when none was found. */
    bool relink();

    static constexpr int kMaxSearchedFiles = 200000;

public Q_SLOTS:
    /** "Search Folder…": asks for a folder, then searchFolder(). */
    void chooseFolder();

private:
    void refresh();

    ProjectDocument* m_document;
    QLabel* m_summary;
    QTreeWidget* m_list;
    QPushButton* m_relink;
    QMap<QString, QString> m_matches;
};

} // namespace mb::ui
