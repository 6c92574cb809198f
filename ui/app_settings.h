#pragma once
/**
 * \file app_settings.h
 * \brief The editor's preferences, kept with QSettings: model folder, threads, device, where jobs run,
 *        autosave interval, language, recent projects; and the measured time per denoising step of finished
 *        takes, by model, size, frames, precision and device (the render dialog's estimate).
 */
#include <QString>
#include <QStringList>
#include <optional>

namespace mb::ui {

class AppSettings {
public:
    static constexpr int kMaxRecentFiles = 10;

    static QString modelFolder();
    static void setModelFolder(const QString& folder);
    /** Worker threads for rendering and training; 0 = one per core. */
    static int threads();
    static void setThreads(int threads);
    /** "cpu" or "cuda". */
    static QString device();
    static void setDevice(const QString& device);
    /**
     * Whether renders and fine-tuning run inside the editor on a worker thread (true) or as a separate
     * `motionbooth-cli` process (false, the default: a crash in the model cannot take the editor down).
     */
    static bool runJobsInProcess();
    static void setRunJobsInProcess(bool inProcess);
    static int autosaveIntervalSeconds();
    static void setAutosaveIntervalSeconds(int seconds);
    /** Language code ("de", "ko", "en") or empty for the system locale. */
    static QString language();
    static void setLanguage(const QString& code);

    static QStringList recentFiles();
    /** Puts `path` first in the recent list (no duplicates, at most kMaxRecentFiles). */
    static void addRecentFile(const QString& path);
    static void removeRecentFile(const QString& path);
    static void clearRecentFiles();

    /** Seconds per denoising step measured for `key` (RenderDialog::estimateKey()), if a take was timed. */
    static std::optional<double> stepSeconds(const QString& key);
    static void setStepSeconds(const QString& key, double seconds);

    /** Where autosave copies are kept (created on first autosave). */
    static QString autosaveFolder();
};

} // namespace mb::ui
