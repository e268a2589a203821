/*
 * The Windows calls the platform layer makes (the registry, the TAP
 * driver's device, SetupAPI, IP Helper), as a table of function pointers:
 * platform/windows/ calls them only through plat_winapi, which points
 * at the system's functions (winapi.c), and the unit tests point it at
 * fakes that record what they were called with. The effects cannot be
 * had under wine, which has no TAP driver and lacks most of these IP
 * Helper calls, nor in CI; the fakes check the calls, their arguments
 * and their order instead (issue #19, item 6).
 */
#ifndef VLAND_WINAPI_H
#define VLAND_WINAPI_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include <netioapi.h>
#include <setupapi.h>

/* mingw-w64 packs NET_LUID as a union of a ULONG64 and bit fields; the
 * system's structures embed it as 8 bytes. */
_Static_assert(sizeof(NET_LUID) == 8, "NET_LUID is 8 bytes");

struct plat_winapi {
	/* The registry, the device file and its ioctls (tapwin.c). */
	LONG(WINAPI *reg_open)(HKEY, LPCSTR, DWORD, REGSAM, PHKEY);
	LONG(WINAPI *reg_enum)
	(HKEY, DWORD, LPSTR, LPDWORD, LPDWORD, LPSTR, LPDWORD, PFILETIME);
	LONG(WINAPI *reg_query)
	(HKEY, LPCSTR, LPDWORD, LPDWORD, LPBYTE, LPDWORD);
	LONG(WINAPI *reg_close)(HKEY);
	LONG(WINAPI *reg_set)(HKEY, LPCSTR, DWORD, DWORD, const BYTE *, DWORD);
	LONG(WINAPI *reg_delete_value)(HKEY, LPCSTR);
	HANDLE(WINAPI *create_file)
	(LPCSTR, DWORD, DWORD, LPSECURITY_ATTRIBUTES, DWORD, DWORD, HANDLE);
	BOOL(WINAPI *ioctl)
	(HANDLE, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD, LPOVERLAPPED);
	BOOL(WINAPI *close_handle)(HANDLE);
	DWORD(WINAPI *last_error)(void);
	/* SetupAPI: restarting an adapter so that its driver reads its
	 * registry parameters again (tapmac.c). */
	HDEVINFO(WINAPI *dev_list)(const GUID *, PCSTR, HWND, DWORD);
	BOOL(WINAPI *dev_enum)(HDEVINFO, DWORD, PSP_DEVINFO_DATA);
	HKEY(WINAPI *dev_reg_key)
	(HDEVINFO, PSP_DEVINFO_DATA, DWORD, DWORD, DWORD, REGSAM);
	BOOL(WINAPI *dev_set_params)
	(HDEVINFO, PSP_DEVINFO_DATA, PSP_CLASSINSTALL_HEADER, DWORD);
	BOOL(WINAPI *dev_call_installer)
	(DI_FUNCTION, HDEVINFO, PSP_DEVINFO_DATA);
	BOOL(WINAPI *dev_list_free)(HDEVINFO);
	/* The console, for a password typed without echo (password.c). */
	HANDLE(WINAPI *get_std_handle)(DWORD);
	BOOL(WINAPI *get_console_mode)(HANDLE, LPDWORD);
	BOOL(WINAPI *set_console_mode)(HANDLE, DWORD);
	BOOL(WINAPI *set_ctrl_handler)(PHANDLER_ROUTINE, BOOL);
	/* IP Helper (iphlp.c). */
	VOID(WINAPI *init_ip_interface)(MIB_IPINTERFACE_ROW *);
	VOID(WINAPI *init_unicast)(MIB_UNICASTIPADDRESS_ROW *);
	VOID(WINAPI *init_route)(MIB_IPFORWARD_ROW2 *);
	NETIO_STATUS(WINAPI *get_ip_interface)(MIB_IPINTERFACE_ROW *);
	NETIO_STATUS(WINAPI *set_ip_interface)(MIB_IPINTERFACE_ROW *);
	NETIO_STATUS(WINAPI *get_unicast)(MIB_UNICASTIPADDRESS_ROW *);
	NETIO_STATUS(WINAPI *create_unicast)(const MIB_UNICASTIPADDRESS_ROW *);
	NETIO_STATUS(WINAPI *delete_unicast)(const MIB_UNICASTIPADDRESS_ROW *);
	NETIO_STATUS(WINAPI *create_route)(const MIB_IPFORWARD_ROW2 *);
	NETIO_STATUS(WINAPI *delete_route)(const MIB_IPFORWARD_ROW2 *);
	NETIO_STATUS(WINAPI *get_routes)
	(ADDRESS_FAMILY, MIB_IPFORWARD_TABLE2 **);
	VOID(WINAPI *free_table)(PVOID);
	NETIO_STATUS(WINAPI *index_to_luid)(NET_IFINDEX, NET_LUID *);
	/* An adapter's interface from its GUID or its connection name
	 * (links.c, tapdev.c). */
	NETIO_STATUS(WINAPI *guid_to_luid)(const GUID *, NET_LUID *);
	NETIO_STATUS(WINAPI *alias_to_luid)(const WCHAR *, NET_LUID *);
	NETIO_STATUS(WINAPI *luid_to_index)(const NET_LUID *, NET_IFINDEX *);
	NETIO_STATUS(WINAPI *best_route)
	(NET_LUID *, NET_IFINDEX, const SOCKADDR_INET *, const SOCKADDR_INET *,
	    ULONG, MIB_IPFORWARD_ROW2 *, SOCKADDR_INET *);
	/* The adapters and their addresses (localaddr.c). */
	ULONG(WINAPI *get_adapters)
	(ULONG, ULONG, PVOID, PIP_ADAPTER_ADDRESSES, PULONG);
};

extern const struct plat_winapi *plat_winapi;

#endif
