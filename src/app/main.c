/* bangtin: the ward's lobby screen and broadcast appliance. See docs/architecture.md. */
#include "bangtin/bt_app.h"

int main(int argc, char **argv)
{
    return bt_app_main(argc, argv);
}
