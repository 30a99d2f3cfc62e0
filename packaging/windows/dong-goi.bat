@echo off
rem Checks the playlist folder and packs it, signed with the ward's key, onto the USB stick.
rem Double-click: asks for the stick's drive letter. Or: dong-goi.bat PLAYLIST DEST
chcp 65001 >nul
setlocal
set "BANGTIN=%~dp0bin\bangtin.exe"
set "KHOA=%APPDATA%\bangtin\phuong.key"
if "%~1"=="" (set "THUMUC=%~dp0playlist") else (set "THUMUC=%~f1")
if not exist "%KHOA%" (
  echo Chưa có khoá của phường "%KHOA%": chạy tao-khoa.bat trước.
  goto :end
)
if not "%~2"=="" (
  set "DICH=%~f2"
  goto :pack
)
set /p "O=Nhập chữ cái của ổ USB (ví dụ E) rồi bấm Enter: "
if "%O%"=="" goto :end
set "DICH=%O%:\bangtin"
if exist "%DICH%" (
  echo Trên USB đã có thư mục "%DICH%" — gói cũ.
  choice /c CK /m "Xoá gói cũ để đóng gói mới? C = có, K = không"
  if errorlevel 2 goto :end
  rmdir /s /q "%DICH%"
)
:pack
echo Đóng gói "%THUMUC%" vào "%DICH%"
echo.
"%BANGTIN%" pack "%THUMUC%" "%DICH%" --key "%KHOA%"
echo.
if errorlevel 1 (echo KHÔNG ĐÓNG GÓI ĐƯỢC — xem các dòng trên.) else (echo XONG — rút USB an toàn rồi cắm vào máy bảng tin.)
:end
echo.
if not defined BANGTIN_NO_PAUSE pause
endlocal
