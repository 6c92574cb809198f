// motionbooth: the editor. Small on purpose: application set-up, translations, the command line; the window
// and everything in it live in ui/.
//
//   motionbooth [PROJECT]                       open the editor (on PROJECT)
//   motionbooth --screenshot OUT.png [PROJECT]  render the main window to a PNG and exit (CI, README)
#include "ml/threads.h"
#include "translations/translation_catalog.h"
#include "ui/app_settings.h"
#include "ui/dark_theme.h"
#include "ui/main_window.h"
#include "ui/project_document.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>
#include <QTranslator>
#include <cstdio>

int main(int argc, char** argv) {
    // In-process renders and fine-tuning (Preferences) run LibTorch here: as in motionbooth-cli, its OpenMP
    // threads must sleep between parallel regions (re-executes once with OMP_WAIT_POLICY=PASSIVE).
    mb::ml::ensure_passive_openmp(argv);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("MotionBooth"));
    QApplication::setApplicationName(QStringLiteral("MotionBooth Studio"));
    QApplication::setApplicationVersion(QStringLiteral(MB_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.motionbooth.Studio"));

    // Translations: the user's choice in Preferences, else the system locale.
    const QString language = mb::ui::AppSettings::language();
    const QLocale locale = language.isEmpty() ? QLocale() : QLocale(language);
    // Dates, numbers and Qt's own dialogs follow the chosen language too, not only the editor's strings.
    QLocale::setDefault(locale);
    QTranslator appTranslator, qtTranslator;
    const QString catalogue = mb::i18n::catalogueFor(locale);
    if (!catalogue.isEmpty() && appTranslator.load(catalogue))
        QApplication::installTranslator(&appTranslator);
    if (mb::i18n::loadQtCatalogue(qtTranslator, locale))
        QApplication::installTranslator(&qtTranslator);
    else if (locale.language() != QLocale::English && locale.language() != QLocale::C)
        std::fprintf(stderr,
                     "motionbooth: Qt's own translations (qtbase_%s.qm) are not in %s: standard buttons and "
                     "file dialogs stay English (Debian: install qt6-translations-l10n)\n",
                     qPrintable(QLocale::languageToCode(locale.language())),
                     qPrintable(mb::i18n::qtCatalogueFolder()));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "MotionBooth Studio editor"));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QApplication::translate("main", "Render the main window to a PNG file and exit."),
        QStringLiteral("png"));
    parser.addOption(screenshot);
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QApplication::translate("main", "Project file to open."),
                                 QStringLiteral("[project]"));
    parser.process(app);

    mb::ui::applyDarkTheme(app);
    mb::ui::MainWindow window;
    const QStringList args = parser.positionalArguments();
    const bool shot = parser.isSet(screenshot);
    if (!args.isEmpty()) {
        QString error;
        if (!window.openProject(args.front(), shot, &error) && shot) {
            std::fprintf(stderr, "motionbooth: %s\n", qPrintable(error));
            return 2;
        }
    }
    if (shot) {
        // Render once the layout has settled (docks sized, fonts loaded), then leave.
        window.resize(1600, 960);
        window.show();
        const QString out = parser.value(screenshot);
        QTimer::singleShot(300, &window, [&window, out] {
            window.document()->setCurrentFrame(window.document()->frameCount() / 3);
            QApplication::processEvents();
            const QImage img = window.grab().toImage();
            if (!img.save(out, "PNG")) {
                std::fprintf(stderr, "motionbooth: cannot write %s\n", qPrintable(out));
                QApplication::exit(1);
                return;
            }
            std::printf("%s\n", qPrintable(out));
            QApplication::exit(0);
        });
        return app.exec();
    }
    window.show();
    QTimer::singleShot(0, &window, [&window] { window.offerRecovery(); });
    return app.exec();
}
