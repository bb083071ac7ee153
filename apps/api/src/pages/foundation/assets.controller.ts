import { createHash } from 'node:crypto';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { STYLESHEET } from './stylesheet';
import { SUGGEST_SCRIPT } from './suggest-script';

/** An open eye, Vigil's only image: browsers ask for an icon, and a 404 would be noise in every page's console. */
const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M2 16C6 9 11 6 16 6s10 3 14 10c-4 7-9 10-14 10S6 23 2 16z" fill="#0b4fa8"/><circle cx="16" cy="16" r="5" fill="#fff"/></svg>';

const version = (content: string) => createHash('sha256').update(content).digest('hex').slice(0, 12);

/** Asset URLs carry their content's hash, so a page never pairs with an older copy from a cache. */
export const ASSET_URLS = {
  stylesheet: `/assets/vigil.css?v=${version(STYLESHEET)}`,
  suggestScript: `/assets/suggest.js?v=${version(SUGGEST_SCRIPT)}`,
  icon: '/assets/icon.svg',
} as const;

/** The stylesheet and the one small script, served by Vigil: pages load nothing from anywhere else. */
@ApiExcludeController()
@Controller('assets')
export class AssetsController {
  @Get('vigil.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'public, max-age=86400')
  stylesheet(): string {
    return STYLESHEET;
  }

  @Get('icon.svg')
  @Header('content-type', 'image/svg+xml')
  @Header('cache-control', 'public, max-age=86400')
  icon(): string {
    return ICON;
  }

  @Get('suggest.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=86400')
  suggestScript(): string {
    return SUGGEST_SCRIPT;
  }
}
