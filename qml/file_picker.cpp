#include "file_picker.h"

#include <QApplication>
#include <QFileDialog>
#include <QStandardPaths>

namespace confab::ui {

FilePicker::FilePicker(QObject* parent)
    : QObject(parent)
{}

FilePicker::~FilePicker()
{
    delete m_files.data();
    delete m_folder.data();
}

void FilePicker::openFiles()
{
    if (!qobject_cast<QApplication*>(QCoreApplication::instance()))
        return; // a QGuiApplication (tests): no widgets to show
    if (!m_files) {
        m_files = new QFileDialog(nullptr, tr("Attach files"),
                                  QStandardPaths::writableLocation(QStandardPaths::HomeLocation));
        m_files->setFileMode(QFileDialog::ExistingFiles);
        connect(m_files, &QFileDialog::filesSelected, this, [this](const QStringList& paths) {
            QList<QUrl> urls;
            for (const QString& path : paths)
                urls << QUrl::fromLocalFile(path);
            emit filesChosen(urls);
        });
    }
    m_files->open();
}

void FilePicker::chooseFolder()
{
    if (!qobject_cast<QApplication*>(QCoreApplication::instance()))
        return;
    if (!m_folder) {
        m_folder = new QFileDialog(nullptr, tr("Save in folder"),
                                   QStandardPaths::writableLocation(QStandardPaths::DownloadLocation));
        m_folder->setFileMode(QFileDialog::Directory);
        m_folder->setOption(QFileDialog::ShowDirsOnly);
        connect(m_folder, &QFileDialog::fileSelected, this,
                [this](const QString& path) { emit folderChosen(QUrl::fromLocalFile(path)); });
    }
    m_folder->open();
}

} // namespace confab::ui
