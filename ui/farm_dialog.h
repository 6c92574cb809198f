#pragma once
/**
 * \file farm_dialog.h
 * \brief "Render on farm…": what `motionbooth-cli farm submit` is asked for — seeds or a number of
 *        variations, shots, the Slurm resources of each task (partition, time, memory, CPUs, GPUs), the job
 *        folder and a dry run that only writes the job folder and its sbatch script.
 *
 * The dialog only collects FarmSubmitOptions; farmSubmitArguments() turns them into the CLI's arguments and
 * FarmJobsPanel runs them as a job of the Jobs dock.
 */
#include <QDialog>
#include <QString>
#include <QStringList>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace mb::ui {

struct FarmSubmitOptions {
    bool useSeeds = false; ///< true: `seeds`; false: `variations` takes from the shot's seed on
    QString seeds;         ///< "1,2,5"
    int variations = 4;
    QString shots = QStringLiteral("all");
    QString partition, time, mem; ///< empty: the cluster's defaults
    int cpusPerTask = 1;
    int gpusPerTask = 0;
    bool dryRun = false;
    QString jobDir;        ///< the job folder to create (required)
    QStringList extraArgs; ///< further `farm submit` options, e.g. {"--model", "/models/zeroscope"}
};

/** Empty when `options` can be submitted, else what is wrong (for the dialog and for callers). */
QString validateFarmOptions(const FarmSubmitOptions& options);

/** `farm submit PROJECT …` arguments (without the program) for `options`. */
QStringList farmSubmitArguments(const QString& projectPath, const FarmSubmitOptions& options);

class FarmDialog : public QDialog {
    Q_OBJECT
public:
    explicit FarmDialog(QWidget* parent = nullptr);

    FarmSubmitOptions options() const;
    void setOptions(const FarmSubmitOptions& options);
    /** What stops OK (empty when the options are valid). */
    QString validationError() const;

    QLineEdit* seedsEdit() const { return m_seeds; }
    QSpinBox* variationsSpin() const { return m_variations; }
    QRadioButton* seedsRadio() const { return m_useSeeds; }
    QRadioButton* variationsRadio() const { return m_useVariations; }
    QLineEdit* partitionEdit() const { return m_partition; }
    QLineEdit* timeEdit() const { return m_time; }
    QLineEdit* memEdit() const { return m_mem; }
    QSpinBox* cpusSpin() const { return m_cpus; }
    QSpinBox* gpusSpin() const { return m_gpus; }
    QCheckBox* dryRunCheck() const { return m_dryRun; }
    QLineEdit* jobDirEdit() const { return m_jobDir; }
    QLineEdit* extraEdit() const { return m_extra; }
    QDialogButtonBox* buttons() const { return m_buttons; }

private:
    void revalidate();

    QRadioButton* m_useVariations;
    QRadioButton* m_useSeeds;
    QSpinBox* m_variations;
    QLineEdit* m_seeds;
    QLineEdit* m_shots;
    QLineEdit* m_partition;
    QLineEdit* m_time;
    QLineEdit* m_mem;
    QSpinBox* m_cpus;
    QSpinBox* m_gpus;
    QCheckBox* m_dryRun;
    QLineEdit* m_jobDir;
    QLineEdit* m_extra;
    QLabel* m_problem;
    QDialogButtonBox* m_buttons;
};

} // namespace mb::ui
