#pragma once
/**
 * \file render_dialog.h
 * \brief "Render Takes": what the next takes are rendered with — how many (consecutive seeds), size, frames,
 *        steps, sampler, precision — and how long they will take, asked before they are queued.
 *
 * The choices are draft overrides for these renders only (RenderOptions): the project does not change.
 * They start from the shot's own values, except with the built-in model (no model folder in the project or
 * in Preferences): it was trained at 112×64, so the dialog starts there (8 frames, 25 steps, DPM-Solver++ 2M)
 * and says why.
 *
 * The estimate is measured, never guessed: every finished take records its time per denoising step (from
 * its sidecar's "seconds" and "steps") in the settings under estimateKey() — model folder, size, frames,
 * precision and device — and the dialog multiplies it out for the chosen steps and takes. Until a take with
 * those settings has finished it says "no estimate yet".
 */
#include "ui/render_options.h"

#include <QDialog>
#include <QSize>

#include <optional>

class QComboBox;
class QLabel;
class QSpinBox;

namespace mb::ui {

class ProjectDocument;

class RenderDialog : public QDialog {
    Q_OBJECT
public:
    /** `count` takes from `firstSeed` on are offered (the artist may change the count). */
    RenderDialog(const ProjectDocument* document, quint64 firstSeed, int count, QWidget* parent = nullptr);

    /** What to render with: every value set explicitly. */
    RenderOptions options() const;
    int takeCount() const;
    quint64 firstSeed() const { return m_firstSeed; }
    /** Whether the takes use the built-in model (no model folder in the project or in Preferences). */
    bool usesBuiltInModel() const { return m_modelFolder.isEmpty(); }
    /** The estimate shown ("Estimated time: …" or "… no estimate yet …"). */
    QString estimateText() const;
    /** The note on the built-in model's own size (empty for other models). */
    QString modelNoteText() const;

    QComboBox* sizePresetBox() const { return m_sizePreset; }
    QSpinBox* widthBox() const { return m_width; }
    QSpinBox* heightBox() const { return m_height; }
    QSpinBox* framesBox() const { return m_frames; }
    QSpinBox* stepsBox() const { return m_steps; }
    QSpinBox* countBox() const { return m_count; }
    QComboBox* samplerBox() const { return m_sampler; }
    QComboBox* precisionBox() const { return m_precision; }

    /** The model folder takes of `document` use: the project's, else the one in Preferences; empty = the
     *  built-in model. */
    static QString modelFolderFor(const ProjectDocument* document);
    /** The settings key of a measured step time: model folder (empty = built-in), size, frames, precision
     *  ("auto", "fp32", "bf16") and the Preferences' device. */
    static QString estimateKey(const QString& modelFolder, const QSize& size, int frames,
                               const QString& precision);
    /** Seconds for one take of `steps` steps at the step time measured under `key`, if any was. */
    static std::optional<double> estimateSeconds(const QString& key, int steps);
    /**
     * Records the time of a finished take under `key` from its sidecar's "seconds" and "steps": the time per
     * step, counting the take's fixed stages (load, decode, encode…) as the steps they weigh in its progress
     * (renderStageWeights()), so that an estimate for another step count stays honest. False when the
     * sidecar cannot be read or lacks the numbers.
     */
    static bool recordFinishedTake(const QString& key, const QString& sidecarPath);

private:
    void onPresetChosen(int index);
    void syncPresetToSize();
    void updateEstimate();

    const ProjectDocument* m_document;
    QString m_modelFolder;
    quint64 m_firstSeed;
    QSpinBox* m_count;
    QLabel* m_seeds;
    QComboBox* m_sizePreset;
    QSpinBox* m_width;
    QSpinBox* m_height;
    QSpinBox* m_frames;
    QSpinBox* m_steps;
    QComboBox* m_sampler;
    QComboBox* m_precision;
    QLabel* m_modelLabel;
    QLabel* m_note;
    QLabel* m_estimate;
};

} // namespace mb::ui
