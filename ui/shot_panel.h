#pragma once
/**
 * \file shot_panel.h
 * \brief The Properties dock: the shot's prompt, length L, fps, size (presets 576×320, 448×256, 256×144),
 *        seed and sampling settings, the background photo, the camera pan as numbers, and the selected
 *        subject's track options.
 *
 * Every field pushes an undoable command when its value is committed; repeated changes of one field in a row
 * (spin-box arrows) merge into one undo step.
 */
#include <QWidget>

class QComboBox;
class QCheckBox;
class QDoubleSpinBox;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QLabel;
class QGroupBox;
class QPushButton;

namespace mb {
struct Shot;
}

namespace mb::ui {

class ProjectDocument;

class ShotPanel : public QWidget {
    Q_OBJECT
public:
    explicit ShotPanel(ProjectDocument* document, QWidget* parent = nullptr);

    /** The size presets offered (ruling 12). */
    static QList<QSize> sizePresets();
    /** The label shown for a sampler name of samplerNames() (e.g. "DPM-Solver++ 2M"). */
    static QString samplerLabel(const std::string& name);
    /** The size the embedded default model was trained at (its best size; others work too). */
    static QSize builtInModelSize();

    QSpinBox* framesField() const { return m_frames; }
    QDoubleSpinBox* panXField() const { return m_panX; }
    QDoubleSpinBox* panYField() const { return m_panY; }
    QLabel* backgroundLabel() const { return m_background; }
    QPushButton* clearBackgroundButton() const { return m_clearBackground; }

    /**
     * Makes `path` the shot's background photo (one undo step) after decoding it as the animatic will; a file
     * that does not decode is refused: false, with `error` naming the file and the problem.
     */
    bool setBackgroundPhoto(const QString& path, QString* error = nullptr);

public Q_SLOTS:
    /** Asks for an image file and sets it as the background photo (a message says why one is refused). */
    void chooseBackgroundPhoto();
    /** Back to the neutral procedural backdrop (one undo step). */
    void clearBackgroundPhoto();

private:
    void refresh();
    void pushShot(const Shot& shot, const QString& label, unsigned& dragId);
    void onPresetActivated(int index);
    void onPanEdited();

    ProjectDocument* m_document;
    QPlainTextEdit* m_prompt;
    QLineEdit* m_negative;
    QSpinBox* m_frames;
    QDoubleSpinBox* m_fps;
    QComboBox* m_sizePreset;
    QSpinBox* m_width;
    QSpinBox* m_height;
    QSpinBox* m_seed;
    QSpinBox* m_steps;
    QComboBox* m_sampler;
    QDoubleSpinBox* m_guidance;
    QDoubleSpinBox* m_panX;
    QDoubleSpinBox* m_panY;
    QGroupBox* m_trackGroup;
    QCheckBox* m_pinned;
    QLabel* m_background;
    QLabel* m_backgroundThumb;
    QPushButton* m_clearBackground;
    QLabel* m_promptPreview;
    // One merge id per field: consecutive changes of the same field are one undo step.
    unsigned m_framesDrag = 0, m_fpsDrag = 0, m_sizeDrag = 0, m_seedDrag = 0, m_stepsDrag = 0,
             m_guidanceDrag = 0, m_panDrag = 0, m_promptDrag = 0;
    bool m_refreshing = false;
};

} // namespace mb::ui
