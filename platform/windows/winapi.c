/*
 * plat_winapi's real table (winapi.h): the system's functions, which
 * the unit tests replace with fakes.
 */
#include "winapi.h"

static DWORD WINAPI
last_error(void)
{
	return GetLastError();
}

static const struct plat_winapi real = {
	.reg_open = RegOpenKeyExA,
	.reg_enum = RegEnumKeyExA,
	.reg_query = RegQueryValueExA,
	.reg_close = RegCloseKey,
	.reg_set = RegSetValueExA,
	.reg_delete_value = RegDeleteValueA,
	.create_file = CreateFileA,
	.ioctl = DeviceIoControl,
	.close_handle = CloseHandle,
	.last_error = last_error,
	.dev_list = SetupDiGetClassDevsA,
	.dev_enum = SetupDiEnumDeviceInfo,
	.dev_reg_key = SetupDiOpenDevRegKey,
	.dev_set_params = SetupDiSetClassInstallParamsA,
	.dev_call_installer = SetupDiCallClassInstaller,
	.dev_list_free = SetupDiDestroyDeviceInfoList,
	.get_std_handle = GetStdHandle,
	.get_console_mode = GetConsoleMode,
	.set_console_mode = SetConsoleMode,
	.set_ctrl_handler = SetConsoleCtrlHandler,
	.init_ip_interface = InitializeIpInterfaceEntry,
	.init_unicast = InitializeUnicastIpAddressEntry,
	.init_route = InitializeIpForwardEntry,
	.get_ip_interface = GetIpInterfaceEntry,
	.set_ip_interface = SetIpInterfaceEntry,
	.get_unicast = GetUnicastIpAddressEntry,
	.create_unicast = CreateUnicastIpAddressEntry,
	.delete_unicast = DeleteUnicastIpAddressEntry,
	.create_route = CreateIpForwardEntry2,
	.delete_route = DeleteIpForwardEntry2,
	.get_routes = GetIpForwardTable2,
	.free_table = FreeMibTable,
	.index_to_luid = ConvertInterfaceIndexToLuid,
	.guid_to_luid = ConvertInterfaceGuidToLuid,
	.alias_to_luid = ConvertInterfaceAliasToLuid,
	.luid_to_index = ConvertInterfaceLuidToIndex,
	.best_route = GetBestRoute2,
	.get_adapters = GetAdaptersAddresses,
};
const struct plat_winapi *plat_winapi = &real;
