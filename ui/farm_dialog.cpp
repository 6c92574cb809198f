#include "ui/farm_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace mb::ui {

QString validateFarmOptions(const FarmSubmitOptions& o) {
    if (o.useSeeds) {
        static const QRegularExpression kSeeds(QStringLiteral("^\\s*\\d+\\s*(,\\s*\\d+\\s*)*$"));
        if (!kSeeds.match(o.seeds).hasMatch())
            return FarmDialog::tr("Seeds: give non-negative whole numbers separated by commas, e.g. 1,2,5.");
    } else if (o.variations < 1) {
        return FarmDialog::tr("Variations: at least one take.");
    }
    // Slurm's time formats: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS.
    static const QRegularExpression kTime(QStringLiteral("^(\\d+-)?\\d+(:\\d+){0,2}$"));
    if (!o.time.trimmed().isEmpty() && !kTime.match(o.time.trimmed()).hasMatch())
        return FarmDialog::tr("Time limit: use Slurm's format, e.g. 30, 01:30:00 or 1-00:00:00.");
    static const QRegularExpression kMem(QStringLiteral("^\\d+[KMGT]?$"),
                                         QRegularExpression::CaseInsensitiveOption);
    if (!o.mem.trimmed().isEmpty() && !kMem.match(o.mem.trimmed()).hasMatch())
        return FarmDialog::tr("Memory: a number with an optional unit K, M, G or T, e.g. 8G.");
    if (o.cpusPerTask < 1 || o.gpusPerTask < 0)
        return FarmDialog::tr("CPUs per task must be at least 1 and GPUs per task not negative.");
    if (o.jobDir.trimmed().isEmpty())
        return FarmDialog::tr("Choose a job folder: the cluster's nodes must be able to reach it.");
    return {};
}

QStringList farmSubmitArguments(const QString& projectPath, const FarmSubmitOptions& o) {
    QStringList a = {QStringLiteral("farm"), QStringLiteral("submit"), projectPath};
    if (o.useSeeds)
        a << QStringLiteral("--seeds") << QString(o.seeds).remove(QLatin1Char(' '));
    else
        a << QStringLiteral("--variations") << QString::number(o.variations);
    if (!o.shots.trimmed().isEmpty())
        a << QStringLiteral("--shots") << o.shots.trimmed();
    const auto optional = [&a](const char* name, const QString& value) {
        if (!value.trimmed().isEmpty())
            a << QLatin1String(name) << value.trimmed();
    };
    optional("--partition", o.partition);
    optional("--time", o.time);
    optional("--mem", o.mem);
    a << QStringLiteral("--cpus-per-task") << QString::number(o.cpusPerTask);
    if (o.gpusPerTask > 0)
        a << QStringLiteral("--gpus-per-task") << QString::number(o.gpusPerTask);
    a << QStringLiteral("--job-dir") << o.jobDir;
    a << o.extraArgs;
    if (o.dryRun)
        a << QStringLiteral("--dry-run");
    return a;
}

FarmDialog::FarmDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Render on Farm"));
    auto* layout = new QVBoxLayout(this);
    auto* intro =
        new QLabel(tr("Renders one take per seed as a Slurm job array. The project and its assets are "
                      "copied into the job folder; the nodes need motionbooth-cli and the models "
                      "at the same paths (shared storage)."),
                   this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto* form = new QFormLayout;
    m_useVariations = new QRadioButton(tr("&Variations"), this);
    m_variations = new QSpinBox(this);
    m_variations->setRange(1, 10000);
    m_variations->setValue(4);
    m_variations->setToolTip(tr("Takes with consecutive seeds, from the shot's seed on"));
    form->addRow(m_useVariations, m_variations);
    m_useSeeds = new QRadioButton(tr("&Seeds"), this);
    m_seeds = new QLineEdit(this);
    m_seeds->setPlaceholderText(tr("1,2,5"));
    form->addRow(m_useSeeds, m_seeds);
    m_useVariations->setChecked(true);
    m_shots = new QLineEdit(QStringLiteral("all"), this);
    m_shots->setToolTip(tr("Which shots to render (this project has one: \"all\" or 0)"));
    form->addRow(tr("S&hots:"), m_shots);
    m_partition = new QLineEdit(this);
    m_partition->setPlaceholderText(tr("cluster default"));
    form->addRow(tr("&Partition:"), m_partition);
    m_time = new QLineEdit(this);
    m_time->setPlaceholderText(tr("e.g. 01:00:00"));
    form->addRow(tr("&Time limit:"), m_time);
    m_mem = new QLineEdit(this);
    m_mem->setPlaceholderText(tr("e.g. 16G"));
    form->addRow(tr("&Memory per task:"), m_mem);
    m_cpus = new QSpinBox(this);
    m_cpus->setRange(1, 1024);
    form->addRow(tr("&CPUs per task:"), m_cpus);
    m_gpus = new QSpinBox(this);
    m_gpus->setRange(0, 64);
    form->addRow(tr("&GPUs per task:"), m_gpus);
    m_jobDir = new QLineEdit(this);
    form->addRow(tr("&Job folder:"), m_jobDir);
    m_extra = new QLineEdit(this);
    m_extra->setPlaceholderText(tr("e.g. --model /shared/models/zeroscope --steps 25"));
    m_extra->setToolTip(tr("Further options of motionbooth-cli farm submit"));
    form->addRow(tr("E&xtra options:"), m_extra);
    m_dryRun = new QCheckBox(tr("&Dry run: only write the job folder and its sbatch script"), this);
    form->addRow(QString(), m_dryRun);
    layout->addLayout(form);

    m_problem = new QLabel(this);
    m_problem->setWordWrap(true);
    m_problem->setObjectName(QStringLiteral("farmDialogProblem"));
    layout->addWidget(m_problem);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Submit"));
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    for (QLineEdit* e : {m_seeds, m_shots, m_partition, m_time, m_mem, m_jobDir, m_extra})
        connect(e, &QLineEdit::textChanged, this, &FarmDialog::revalidate);
    for (QSpinBox* s : {m_variations, m_cpus, m_gpus})
        connect(s, &QSpinBox::valueChanged, this, &FarmDialog::revalidate);
    connect(m_useSeeds, &QRadioButton::toggled, this, [this](bool seeds) {
        m_seeds->setEnabled(seeds);
        m_variations->setEnabled(!seeds);
        revalidate();
    });
    connect(m_dryRun, &QCheckBox::toggled, this, [this](bool dry) {
        m_buttons->button(QDialogButtonBox::Ok)->setText(dry ? tr("&Write Job Folder") : tr("&Submit"));
    });
    m_seeds->setEnabled(false);
    revalidate();
}

FarmSubmitOptions FarmDialog::options() const {
    FarmSubmitOptions o;
    o.useSeeds = m_useSeeds->isChecked();
    o.seeds = m_seeds->text();
    o.variations = m_variations->value();
    o.shots = m_shots->text();
    o.partition = m_partition->text();
    o.time = m_time->text();
    o.mem = m_mem->text();
    o.cpusPerTask = m_cpus->value();
    o.gpusPerTask = m_gpus->value();
    o.dryRun = m_dryRun->isChecked();
    o.jobDir = m_jobDir->text().trimmed();
    o.extraArgs = QProcess::splitCommand(m_extra->text());
    return o;
}

void FarmDialog::setOptions(const FarmSubmitOptions& o) {
    m_useSeeds->setChecked(o.useSeeds);
    m_useVariations->setChecked(!o.useSeeds);
    m_seeds->setText(o.seeds);
    m_variations->setValue(o.variations);
    m_shots->setText(o.shots);
    m_partition->setText(o.partition);
    m_time->setText(o.time);
    m_mem->setText(o.mem);
    m_cpus->setValue(o.cpusPerTask);
    m_gpus->setValue(o.gpusPerTask);
    m_dryRun->setChecked(o.dryRun);
    m_jobDir->setText(o.jobDir);
    QStringList quoted;
    for (const QString& a : o.extraArgs)
        quoted << (a.contains(QLatin1Char(' ')) ? QLatin1Char('"') + a + QLatin1Char('"') : a);
    m_extra->setText(quoted.join(QLatin1Char(' ')));
    revalidate();
}

QString FarmDialog::validationError() const {
    return validateFarmOptions(options());
}

void FarmDialog::revalidate() {
    const QString problem = validationError();
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
}

} // namespace mb::ui
