@echo off
rem Creates the ward's signing key pair once, in %APPDATA%\bangtin (this user's own folder).
chcp 65001 >nul
setlocal
set "BANGTIN=%~dp0bin\bangtin.exe"
set "KHOA=%APPDATA%\bangtin"
if exist "%KHOA%\phuong.key" (
  echo Đã có khoá của phường: "%KHOA%\phuong.key" — không tạo lại.
  goto :end
)
if not exist "%KHOA%" mkdir "%KHOA%"
"%BANGTIN%" keygen --out "%KHOA%\phuong"
if errorlevel 1 goto :end
echo.
echo Chép tệp phuong.pub (KHÔNG chép phuong.key) sang máy bảng tin và khai báo trong trusted_keys.
if not defined BANGTIN_NO_PAUSE explorer "%KHOA%"
:end
echo.
if not defined BANGTIN_NO_PAUSE pause
endlocal
