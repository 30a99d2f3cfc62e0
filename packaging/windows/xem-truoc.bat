@echo off
rem Renders every notice of the playlist folder to PNGs, as the lobby screen will show them,
rem and opens the folder holding them. Double-click: the "playlist" folder beside this file;
rem or drop a folder onto it. The pictures go to "xem-truoc" beside this file.
chcp 65001 >nul
setlocal
set "BANGTIN=%~dp0bin\bangtin.exe"
if "%~1"=="" (set "THUMUC=%~dp0playlist") else (set "THUMUC=%~f1")
set "ANH=%~dp0xem-truoc"
if not exist "%ANH%" mkdir "%ANH%"
rem Pictures of an earlier run would show notices that are no longer there.
del /q "%ANH%\*.png" 2>nul
echo Chụp từng thông báo của "%THUMUC%" vào "%ANH%"
echo.
"%BANGTIN%" screenshot --playlist "%THUMUC%" --every-notice -o "%ANH%"
if errorlevel 1 (
  echo.
  echo KẾT QUẢ: CÓ LỖI — chạy kiem-tra.bat để xem tệp, dòng và cách sửa.
  goto :end
)
echo.
echo KẾT QUẢ: đã lưu ảnh từng thông báo; mở thư mục "%ANH%" để xem.
if not defined BANGTIN_NO_PAUSE start "" explorer "%ANH%"
:end
echo.
if not defined BANGTIN_NO_PAUSE pause
endlocal
