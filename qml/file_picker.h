#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

class QFileDialog;

namespace confab::ui {

// The desktop's file dialogs for files (issue 16), opened without blocking
// (QFileDialog::open, not exec), as AvatarPicker does: "Attach files…"
// (any number of existing files) and "Save…" (a folder: the file keeps its
// name, made safe, in there).
class FilePicker : public QObject {
    Q_OBJECT
    QML_ELEMENT

public:
    explicit FilePicker(QObject* parent = nullptr);
    ~FilePicker() override;

    Q_INVOKABLE void openFiles();
    Q_INVOKABLE void chooseFolder();

signals:
    void filesChosen(const QList<QUrl>& files);
    void folderChosen(const QUrl& folder);

private:
    QPointer<QFileDialog> m_files;
    QPointer<QFileDialog> m_folder;
};

} // namespace confab::ui
