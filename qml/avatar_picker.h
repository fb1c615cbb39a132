#pragma once

#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

class QFileDialog;

namespace confab::ui {

// "Set avatar…": the desktop's file dialog for a picture, opened without
// blocking (QFileDialog::open, not exec). QtQuick.Dialogs is not a
// dependency of Confab, and the app is a QApplication already (the tray).
class AvatarPicker : public QObject {
    Q_OBJECT
    QML_ELEMENT

public:
    explicit AvatarPicker(QObject* parent = nullptr);
    ~AvatarPicker() override;

    Q_INVOKABLE void open();

signals:
    void chosen(const QUrl& file);

private:
    QPointer<QFileDialog> m_dialog;
};

} // namespace confab::ui
