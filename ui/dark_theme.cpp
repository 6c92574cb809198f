#include "ui/dark_theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyleFactory>

namespace mb::ui {

void applyDarkTheme(QApplication& app) {
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p;
    const QColor window(0x2b, 0x2e, 0x35), base(0x1f, 0x22, 0x28), text(0xdf, 0xe3, 0xea);
    const QColor accent(0x3d, 0x8b, 0xfd);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x25, 0x28, 0x2f));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3e, 0x47));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x90, 0x9c));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x34, 0x38, 0x40));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x5d, 0x5d));
    p.setColor(QPalette::Light, QColor(0x44, 0x48, 0x52));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3e, 0x47));
    p.setColor(QPalette::Mid, QColor(0x23, 0x26, 0x2c));
    p.setColor(QPalette::Dark, QColor(0x18, 0x1a, 0x1f));
    p.setColor(QPalette::Shadow, QColor(0x0c, 0x0d, 0x10));
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, accent.lighter(120));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x70, 0x75, 0x80));
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    app.setPalette(p);
    app.setStyleSheet(QStringLiteral(
        "QDockWidget::title { background: #24272d; padding: 5px 8px; }"
        "QDockWidget { titlebar-close-icon: none; }"
        "QToolBar { border: none; spacing: 3px; padding: 2px; }"
        "QToolButton { padding: 3px; border-radius: 4px; }"
        "QToolButton:checked { background: #3d4a5e; }"
        "QToolButton:hover { background: #3a3f49; }"
        "QGroupBox { font-weight: bold; border: 1px solid #3a3e47; border-radius: 5px; margin-top: 12px; }"
        "QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }"
        "QStatusBar { background: #24272d; }"
        "QTabBar::tab { padding: 5px 12px; }"));
}

} // namespace mb::ui
