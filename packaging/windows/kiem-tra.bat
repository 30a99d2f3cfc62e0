@echo off
rem Checks a playlist folder with bangtin.exe and keeps the window open on the result.
rem Double-click: checks the "playlist" folder beside this file; or drop a folder onto it.
chcp 65001 >nul
setlocal
set "BANGTIN=%~dp0bin\bangtin.exe"
if "%~1"=="" (set "THUMUC=%~dp0playlist") else (set "THUMUC=%~f1")
echo Kiểm tra thư mục playlist: "%THUMUC%"
echo.
"%BANGTIN%" check "%THUMUC%"
echo.
if errorlevel 1 (echo KẾT QUẢ: CÓ LỖI — sửa các dòng trên trong Notepad rồi chạy lại kiem-tra.bat.) else (echo KẾT QUẢ: HỢP LỆ — có thể chạy dong-goi.bat để đóng gói lên USB.)
echo.
if not defined BANGTIN_NO_PAUSE pause
endlocal
