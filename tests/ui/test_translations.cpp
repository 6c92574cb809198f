// The shipped catalogues really translate the editor: a German or Korean user sees translated menus. The .ts
// contexts must be the classes' qualified names (mb::ui::MainWindow), which is what tr() looks up at run
// time.
#include "translations/translation_catalog.h"
#include "ui/main_window.h"

#include <QMenuBar>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

using mb::ui::MainWindow;

class TestTranslations : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void catalogues_data() {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("file");
        QTest::newRow("German") << "de"
                                << "&Datei";
        QTest::newRow("Korean") << "ko" << QString();
    }

    void catalogues() {
        QFETCH(QString, language);
        QFETCH(QString, file);
        QVERIFY(mb::i18n::availableLanguages().contains(language));
        const QString path = mb::i18n::catalogueFor(QLocale(language));
        QVERIFY2(!path.isEmpty(), qPrintable(language));
        QTranslator translator;
        QVERIFY(translator.load(path));
        QVERIFY(QCoreApplication::installTranslator(&translator));
        QTemporaryDir tmp;
        {
            MainWindow window(nullptr, tmp.filePath(QStringLiteral("autosave")));
            const QList<QAction*> menus = window.menuBar()->actions();
            QVERIFY(!menus.isEmpty());
            const QString title = menus.first()->text();
            QVERIFY2(title != QStringLiteral("&File"),
                     qPrintable("the File menu is not translated: " + title));
            if (!file.isEmpty())
                QCOMPARE(title, file);
        }
        QCoreApplication::removeTranslator(&translator);
    }
};

QTEST_MAIN(TestTranslations)
#include "test_translations.moc"
